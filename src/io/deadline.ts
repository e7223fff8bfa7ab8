// One bound per network step: the step's promise, or a TimeoutError after `ms`. `cancel` runs on
// timeout, and when the run's signal aborts (q, Esc, Ctrl-C), so the losing socket or lookup does
// not keep the process alive; an abort rejects at once with the signal's AbortError.
export class TimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

export async function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  what: string,
  cancel: () => void = () => {},
  signal?: AbortSignal,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cancel();
      reject(new TimeoutError(`${what} timed out after ${ms} ms`));
    }, ms);
    onAbort = () => {
      cancel();
      reject(signal?.reason);
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

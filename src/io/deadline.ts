// One bound per network step: the step's promise, or a TimeoutError after `ms`. `cancel` runs on
// timeout so the losing socket or lookup does not keep the process alive.
export class TimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

export async function withDeadline<T>(work: Promise<T>, ms: number, what: string, cancel: () => void = () => {}): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cancel();
      reject(new TimeoutError(`${what} timed out after ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

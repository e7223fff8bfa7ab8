// Maps over many items with at most `limit` calls in flight: a directory of 100k entries must not open
// 100k files at once (EMFILE) or hold 100k pending reads in memory.

/** Like `Promise.all(items.map(fn))`, with at most `limit` calls of `fn` running; keeps the order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

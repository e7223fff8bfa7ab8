// A pass over JSON bytes before JSON.parse: 255 MB of `{},` becomes gigabytes of objects, and a
// nesting a million deep overflows the parser's stack. Counts depth and values in one read of the
// bytes (skipping strings) and says which limit a document passes.

/** facts.json nests about a dozen levels. */
export const MAX_JSON_DEPTH = 128;
/** A real facts.json holds tens of thousands of values; a 100k-entry directory listing a few 100k. */
export const MAX_JSON_VALUES = 1_500_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function jsonLimitProblem(bytes: Buffer): string | null {
  let depth = 0;
  let values = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      for (i++; i < bytes.length && bytes[i] !== QUOTE; i++) if (bytes[i] === BACKSLASH) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) return `is nested more than ${MAX_JSON_DEPTH} levels deep`;
      if (++values > MAX_JSON_VALUES) return `holds more than ${MAX_JSON_VALUES} values`;
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && ++values > MAX_JSON_VALUES) return `holds more than ${MAX_JSON_VALUES} values`;
  }
  return null;
}

import { describe, expect, it } from 'vitest';
import { LiteralSearch } from '../../src/logs/prefilter.js';

const find = (literals: string[], text: string, start = 0, end = text.length) =>
  new LiteralSearch(literals).find(Buffer.from(text), start, end).map((h) => [h.at, literals[h.literal]]);

describe('LiteralSearch', () => {
  it('finds every occurrence of every literal in position order', () => {
    expect(find(['Error: ', 'command failed'], 'Error: x "command failed" Error: ')).toEqual([
      [0, 'Error: '],
      [10, 'command failed'],
      [26, 'Error: '],
    ]);
  });

  it('finds literals that share an ending and overlapping occurrences', () => {
    expect(find(['abab', 'xxab'], 'ababab xxab')).toEqual([
      [0, 'abab'],
      [2, 'abab'],
      [7, 'xxab'],
    ]);
  });

  it('finds a literal at the very start and the very end, and none outside [start, end)', () => {
    expect(find(['audit plugin'], 'audit plugin')).toEqual([[0, 'audit plugin']]);
    expect(find(['Version: v'], '..Version: v1 Version: v2', 3)).toEqual([[14, 'Version: v']]);
    expect(find(['Version: v'], 'Version: v1', 0, 5)).toEqual([]);
  });

  it('finds nothing in text shorter than the literals', () => {
    expect(find(['CrashLoopBackOff'], 'Crash')).toEqual([]);
  });

  it('refuses one-byte literals, which the two-byte skip table cannot hold', () => {
    expect(() => new LiteralSearch(['E'])).toThrow();
  });
});

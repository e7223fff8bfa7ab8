import { describe, expect, it } from 'vitest';
import { lineTime } from '../../src/bundle/log-excerpt.js';
import { parseDuration, parseSize } from '../../src/bundle/units.js';

describe('parseSize', () => {
  it.each([
    ['500K', 512_000],
    ['5M', 5 * 1024 ** 2],
    ['1.5MiB', 1.5 * 1024 ** 2],
    ['2G', 2 * 1024 ** 3],
    ['1234', 1234],
  ])('%s -> %d bytes', (text, bytes) => expect(parseSize(text)).toBe(bytes));
  it.each(['', 'M', '5X', '-1K', 'five'])('rejects %j', (text) => expect(parseSize(text)).toBeNull());
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['24h', 86_400_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
  ])('%s -> %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '10', '1w', '0s', 'h'])('rejects %j', (text) => expect(parseDuration(text)).toBeNull());
});

describe('lineTime', () => {
  const now = new Date('2026-01-02T00:00:00Z');
  it('reads CRI timestamps', () =>
    expect(lineTime('2026-01-01T23:59:00.123456789Z stderr F x', now)).toBe(Date.parse('2026-01-01T23:59:00.123Z')));
  it('reads klog timestamps in the current year', () =>
    expect(lineTime('I0101 10:00:00.000000 1 x.go:1] hi', now)).toBe(Date.parse('2026-01-01T10:00:00Z')));
  it('puts a klog date after now in the previous year', () =>
    expect(lineTime('E1231 10:00:00.000000 1 x.go:1] hi', now)).toBe(Date.parse('2025-12-31T10:00:00Z')));
  it('returns null for a continuation line', () => expect(lineTime('    goroutine 1 [running]:', now)).toBeNull());
});

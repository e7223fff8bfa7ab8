import { describe, expect, it } from 'vitest';
import { CandidateKeeper, CHARS_KEPT, LINES_KEPT, TEXT_CAP } from '../../src/logs/keep.js';
import { scanLog } from '../../src/logs/scan.js';
import { NOW } from '../helpers/log-formats.js';

const T0 = Date.parse('2026-11-27T06:00:00Z');
const delivery = (i: number) =>
  `E1127 07:00:00.000000       1 metrics.go:110] Error in audit plugin 'webhook' affecting ${i} audit events: Post "https://c:8083/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=?timeout=30s": EOF`;

describe('CandidateKeeper', () => {
  it('keeps every line in stream order, masked, while within bounds', () => {
    const keeper = new CandidateKeeper();
    keeper.add('Version: v', 100, T0 + 1000, 'I1127 server.go:182] Version: v1.20.2');
    keeper.add('audit plugin', 0, T0, delivery(1));
    expect(keeper.finish('plain')).toEqual({
      format: 'plain',
      omitted: 0,
      lines: [
        { offset: 0, time: '2026-11-27T06:00:00.000Z', hit: 'audit plugin', text: expect.stringContaining('/webhook/****?timeout=30s') },
        { offset: 100, time: '2026-11-27T06:00:01.000Z', hit: 'Version: v', text: 'I1127 server.go:182] Version: v1.20.2' },
      ],
    });
  });

  it('bounds a flood of one literal, keeping its first and newest lines and every other literal', () => {
    const keeper = new CandidateKeeper();
    keeper.add('external host was not specified', 0, T0, 'external host was not specified');
    const flood = 3 * LINES_KEPT;
    for (let i = 1; i <= flood; i++) keeper.add('audit plugin', i * 400, T0 + i, delivery(i));
    const { lines, omitted } = keeper.finish('plain');
    expect(lines).toHaveLength(LINES_KEPT);
    expect(omitted).toBe(flood + 1 - LINES_KEPT);
    expect(lines[0]!.hit).toBe('external host was not specified');
    expect(lines[1]!.offset).toBe(400);
    expect(lines.at(-1)!.offset).toBe(flood * 400);
    // The oldest go first: the kept tail is contiguous.
    expect(lines[2]!.offset).toBe((flood - LINES_KEPT + 3) * 400);
  });

  it('bounds the characters kept, and each line', () => {
    const keeper = new CandidateKeeper();
    for (let i = 0; i < 200; i++) keeper.add('audit plugin', i * TEXT_CAP * 2, null, `audit plugin ${'x'.repeat(TEXT_CAP * 2)}`);
    const { lines, omitted } = keeper.finish('plain');
    expect(lines.every((l) => l.text.length <= TEXT_CAP)).toBe(true);
    expect(lines.reduce((n, l) => n + l.text.length, 0)).toBeLessThanOrEqual(CHARS_KEPT);
    expect(lines.length + omitted).toBe(200);
    expect(omitted).toBeGreaterThan(0);
  });
});

describe('scanLog keeps candidate lines', () => {
  it('with their byte offset, their time (or the time of the line before) and the literal that picked them', async () => {
    const text = [
      'I1127 06:55:35.842000       1 server.go:632] external host was not specified, using 10.0.0.5',
      'E1127 06:55:36.000000       1 run.go:74] something',
      'Error: loading audit policy file: failed to read file path "/p.yaml": open /p.yaml: no such file or directory',
      'noise',
    ].join('\n');
    const result = await scanLog([text], { now: NOW });
    expect(result.omitted).toBe(0);
    expect(result.lines.map(({ offset, time, hit }) => ({ offset, time, hit }))).toEqual([
      { offset: 0, time: '2026-11-27T06:55:35.842Z', hit: 'external host was not specified' },
      { offset: text.indexOf('Error:'), time: '2026-11-27T06:55:36.000Z', hit: 'audit policy file' },
    ]);
  });
});

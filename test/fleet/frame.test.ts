// The framed report survives what pods/log does to it: other lines in between, partial reads.
import { describe, expect, it } from 'vitest';
import { frameDocument, unframeDocument } from '../../src/kube/fleet/frame.js';

const doc = JSON.stringify({
  schemaVersion: 1,
  checks: Array.from({ length: 400 }, (_, i) => ({ id: `c${i}`, summary: 'ü "quoted" \n line'.repeat(5) })),
});

describe('framed report', () => {
  it('round-trips a document of many parts, each line short enough never to be split by the runtime', () => {
    const framed = frameDocument(doc);
    const lines = framed.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(16 * 1024);
    expect(unframeDocument(framed)).toEqual({ ok: true, doc });
  });

  it('finds the document among stderr lines interleaved between its parts', () => {
    const lines = frameDocument(doc).split('\n');
    const mixed = ['(node:1) Warning: something on stderr', ...lines.flatMap((l, i) => (i % 2 ? [l, `stderr line ${i}`] : [l]))].join('\n');
    expect(unframeDocument(mixed)).toEqual({ ok: true, doc });
  });

  it('takes the last document when the log holds an earlier attempt too', () => {
    const other = JSON.stringify({ schemaVersion: 1, checks: [] });
    expect(unframeDocument(frameDocument(other) + frameDocument(doc))).toEqual({ ok: true, doc });
  });

  it('tells apart no document, a cut log and changed bytes', () => {
    expect(unframeDocument('Error: boom\n')).toMatchObject({ ok: false, problem: expect.stringContaining('no framed report') });
    const lines = frameDocument(doc).split('\n');
    expect(unframeDocument(lines.slice(0, 3).join('\n'))).toMatchObject({ ok: false, problem: expect.stringContaining('incomplete') });
    const changed = lines.map((l, i) => (i === 1 ? l.replace(/A/, 'B') : l)).join('\n');
    expect(unframeDocument(changed)).toMatchObject({ ok: false, problem: expect.stringContaining('checksum') });
  });
});

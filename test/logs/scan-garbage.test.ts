import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { LINE_CAP, scanLog } from '../../src/logs/scan.js';
import { countSignatures, lastStartLine } from '../../src/logs/judge.js';
import { NOW } from '../helpers/log-formats.js';

const ERROR = 'Error: initializing audit webhook: stat /etc/kubernetes/audit/webhook.yaml: no such file or directory';

describe('scanLog on garbage', () => {
  it('reads random binary bytes without a crash and finds nothing', async () => {
    const chunks = Array.from({ length: 64 }, (_, i) => randomBytes(64 * 1024 + i));
    const result = await scanLog(Readable.from(chunks), { now: NOW });
    expect(countSignatures(result).size).toBe(0);
    expect(result.bytes).toBe(chunks.reduce((n, c) => n + c.length, 0));
  });

  it('finds an error in a line of invalid UTF-8 and NUL bytes', async () => {
    const line = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]), Buffer.from(` ${ERROR} `), Buffer.from([0xe2, 0x82, 0x0a])]);
    const result = await scanLog([line], { now: NOW });
    expect([...countSignatures(result).keys()]).toEqual(['webhook-config-missing']);
  });

  it('streams a 100 MB single line in bounded memory, matching its capped head, and reads on after it', async () => {
    const MB = 1024 * 1024;
    async function* hugeLine(): AsyncGenerator<Buffer> {
      yield Buffer.from(`${ERROR} `);
      const filler = Buffer.alloc(MB, 'Error in audit plugin x');
      for (let i = 0; i < 100; i++) yield filler;
      yield Buffer.from(`\n${ERROR}\n`);
    }
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const result = await scanLog(hugeLine(), { now: NOW });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * MB);
    expect(countSignatures(result).get('webhook-config-missing')?.count).toBe(2);
    expect(countSignatures(result).get('webhook-config-missing')!.sample.length).toBeLessThanOrEqual(2000);
    expect(result.bytes).toBeGreaterThan(100 * MB);
  });

  it('finds an anchor cut across chunks of any size', async () => {
    const text = `noise line\n${ERROR}\nmore noise\n`;
    for (const size of [1, 2, 3, 5, 8, 13]) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
      const result = await scanLog(chunks, { now: NOW });
      expect(countSignatures(result).get('webhook-config-missing')?.count, `chunk size ${size}`).toBe(1);
    }
  });

  it('caps a CRI line split into P fragments beyond LINE_CAP and still reads the next line', async () => {
    const fragment = `2026-11-27T06:55:30.000000000Z stderr P ${'x'.repeat(16 * 1024)}\n`;
    const text = `2026-11-27T06:55:30.000000000Z stderr P ${ERROR}\n${fragment.repeat(Math.ceil((4 * LINE_CAP) / fragment.length))}2026-11-27T06:55:30.000000000Z stderr F end\n2026-11-27T06:55:31.000000000Z stderr F ${ERROR}\n`;
    const result = await scanLog([text], { now: NOW });
    expect(countSignatures(result).get('webhook-config-missing')?.count).toBe(2);
    // The sample is the joined line, capped, not just its first fragment.
    expect(countSignatures(result).get('webhook-config-missing')!.sample).toMatch(/no such file or directoryx{1000}/);
  });

  it('takes an empty stream', async () => {
    const result = await scanLog([], { now: NOW });
    expect(result).toMatchObject({ format: 'plain', bytes: 0, firstTime: null, lines: [], omitted: 0 });
    expect(lastStartLine(result)).toBeNull();
  });
});

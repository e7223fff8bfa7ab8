// Log excerpts are cut from the tail of a file: the cut must never expose what redaction would
// have masked in the whole file.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spoolExcerpt } from '../../src/bundle/log-excerpt.js';
import { Redactor } from '../../src/redact/redactor.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-excerpt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const now = new Date('2026-11-27T09:00:00Z');

// Logs live under /var/log on the node: a bundle reads nothing else as a log.
mkdirSync(path.join(tmp, 'var/log'), { recursive: true });

function excerpt(name: string, text: string, keepBytes: number) {
  writeFileSync(path.join(tmp, 'var/log', name), text);
  return spoolExcerpt(tmp, `/var/log/${name}`, path.join(tmp, `${name}.spool`), {
    keepBytes,
    sinceMs: null,
    now,
    redactor: new Redactor(),
  });
}
const spooled = (x: { spool: string; start: number; end: number }) => readFileSync(x.spool).subarray(x.start, x.end).toString('utf8');

describe('spoolExcerpt', () => {
  it('keeps the newest whole lines and says it trimmed', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(3, '0')}`);
    const x = await excerpt('plain.log', lines.join('\n') + '\n', 45);
    expect(spooled(x)).toBe(lines.slice(-5).join('\n') + '\n');
    expect(x).toMatchObject({ trimmed: true, originalBytes: 900 });
  });

  it('masks the body of a private key whose BEGIN line lies before the excerpt', async () => {
    const body = Array.from({ length: 20 }, (_, i) => `MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC${String(i).padStart(2, '0')}`);
    const text = ['before', '-----BEGIN RSA PRIVATE KEY-----', ...body, '-----END RSA PRIVATE KEY-----', 'after'].join('\n') + '\n';
    // Only the last ten body lines, the END line and "after" fit.
    const x = await excerpt('key.log', text, 11 * (body[0]!.length + 1) + 'after\n'.length);
    const out = spooled(x);
    expect(out).toContain('after');
    for (const line of body) expect(out).not.toContain(line);
  });

  it('copies a small file whole', async () => {
    const x = await excerpt('small.log', 'one\ntwo\n', 1024);
    expect(spooled(x)).toBe('one\ntwo\n');
    expect(x.trimmed).toBe(false);
  });
});

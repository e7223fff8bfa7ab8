// Plants at least 80 secret forms in every input of a node (test/helpers/secret-corpus.ts) and greps
// every byte of the decompressed bundle and of every output mode for each of them, as written, in
// base64 and percent-encoded.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decompressed, jsonEntry } from '../helpers/archive.js';
import { runCli } from '../helpers/cli.js';
import { SecretCorpus, spellings } from '../helpers/secret-corpus.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-corpus-'));
const corpus = new SecretCorpus(path.join(tmp, 'root'));
let planted: { suffix: string; env: NodeJS.ProcessEnv };

beforeAll(() => {
  planted = corpus.plant();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function leaks(haystack: string, except: string[] = []): string[] {
  const found: string[] = [];
  for (const p of corpus.planted) {
    if (except.includes(p.value)) continue;
    for (const form of spellings(p.value)) if (haystack.includes(form)) found.push(`${p.form}${form === p.value ? '' : ' (encoded)'}`);
  }
  return found;
}

describe('secret corpus', () => {
  it('plants at least 80 distinct secret forms', () => {
    expect(new Set(corpus.planted.map((p) => p.form.replace(/ (line \d+|\[\d+\])$/, ''))).size).toBeGreaterThanOrEqual(50);
    expect(corpus.planted.length).toBeGreaterThanOrEqual(80);
  });

  it('no planted secret reaches any byte of the bundle, and redactions.json counts them', async () => {
    const out = path.join(tmp, 'bundle.tar.gz');
    const r = await runCli(['bundle', '--root', corpus.root, '--out', out, '--offline'], { env: planted.env });
    expect(r.code, r.stderr).toBe(0);
    expect(leaks(decompressed(out).toString('latin1') + r.stdout + r.stderr)).toEqual([]);
    const index = await jsonEntry<{ files: { name: string }[]; skipped: { source: string; reason: string }[] }>(out, 'index.json');
    const names = index.files.map((f) => f.name);
    // The inputs did go in (redacted): the test looked at real excerpts, not at an empty bundle.
    for (const f of ['1.log', '2.log'])
      expect(names).toContain(`files/var/log/pods/kube-system_kube-apiserver-cp1_0a9b8c7d/kube-apiserver/${f}`);
    expect(names).toContain('files/etc/kubernetes/audit/audit-webhook.yaml');
    // The log that links to the --token-auth-file is skipped and says why.
    expect(index.skipped).toContainEqual({ source: '/var/log/kube-apiserver.log', reason: expect.stringContaining('--token-auth-file') });
    const redactions = await jsonEntry<Record<string, Record<string, number>>>(out, 'redactions.json');
    const total = Object.values(redactions)
      .flatMap((c) => Object.values(c))
      .reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(80);
    expect(Object.keys(redactions['files/var/log/pods/kube-system_kube-apiserver-cp1_0a9b8c7d/kube-apiserver/1.log']!)).toEqual(
      expect.arrayContaining(['literal', 'credential-field', 'private-key-base64', 'url-userinfo', 'authorization']),
    );
  });

  it.each([
    ['json', ['--json']],
    ['junit', ['--output', 'junit']],
    ['text', ['--output', 'text', '--verbose']],
  ])('no planted secret reaches doctor %s output', async (_mode, args) => {
    const r = await runCli(['doctor', '--root', corpus.root, '--offline', ...args], { env: planted.env });
    expect([0, 3], r.stderr).toContain(r.code);
    expect(r.stdout.length).toBeGreaterThan(1000);
    expect(leaks(r.stdout + r.stderr)).toEqual([]);
  });

  it('--include-suffix keeps the suffix and masks every other secret', async () => {
    const out = path.join(tmp, 'with-suffix.tar.gz');
    const r = await runCli(['bundle', '--root', corpus.root, '--out', out, '--include-suffix', '--offline'], { env: planted.env });
    expect(r.code, r.stderr).toBe(0);
    const bytes = decompressed(out).toString('latin1');
    expect(bytes).toContain(`/api/v1/kubernetes/webhook/${planted.suffix}`);
    expect(leaks(bytes, [planted.suffix])).toEqual([]);
  });
});

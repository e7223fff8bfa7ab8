// The archive itself: reproducible bytes, bounded by --max-size with the trims recorded, and
// unreadable sources recorded instead of failing the bundle.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexEntry, SkippedSource } from '../../src/bundle/collect.js';
import { entries, jsonEntry } from '../helpers/archive.js';
import { REPO, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-archive-'));
const root = path.join(tmp, 'root');
const LOG_DIR = 'var/log/pods/kube-system_kube-apiserver-node1_0123/kube-apiserver';
const LOG = `/${LOG_DIR}/0.log`;
const AT = '2026-11-27T09:00:00Z';
type Index = { files: IndexEntry[]; skipped: SkippedSource[] };

beforeAll(() => {
  cpSync(path.join(REPO, 'fixtures/scenarios/kubeadm-healthy/root'), root, { recursive: true });
  mkdirSync(path.join(root, LOG_DIR), { recursive: true });
  // ~3 MiB of log, one line per minute going back in time, newest last.
  const lines: string[] = [];
  for (let i = 30_000; i > 0; i--)
    lines.push(`${new Date(Date.parse(AT) - i * 60_000).toISOString()} stderr F line ${i} ${'x'.repeat(60)}`);
  writeFileSync(path.join(root, LOG_DIR, '0.log'), lines.join('\n') + '\n');
  // A log the bundle cannot read: recorded as skipped, not fatal.
  symlinkSync('/nonexistent/target.log', path.join(root, LOG_DIR, '1.log'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bundle = (name: string, ...extra: string[]) =>
  runCli(['bundle', '--root', root, '--out', path.join(tmp, name), '--collected-at', AT, ...extra]);

describe('bundle archive', () => {
  it('is byte-identical for the same inputs and collection time', async () => {
    const [a, b] = await Promise.all([bundle('a.tar.gz'), bundle('b.tar.gz')]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code).toBe(0);
    expect(readFileSync(path.join(tmp, 'a.tar.gz')).equals(readFileSync(path.join(tmp, 'b.tar.gz')))).toBe(true);
    const names = [...(await entries(path.join(tmp, 'a.tar.gz'))).keys()];
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(
      expect.arrayContaining([
        'facts.json',
        'index.json',
        'redactions.json',
        'results.json',
        'versions.json',
        'files/etc/kubernetes/audit/audit-webhook.yaml',
      ]),
    );
  });

  it('records every file with size and SHA-256, and skipped sources with the reason', async () => {
    const file = path.join(tmp, 'a.tar.gz');
    const index = await jsonEntry<Index>(file, 'index.json');
    const contents = await entries(file);
    for (const f of index.files) {
      expect(f.size).toBe(contents.get(f.name)!.length);
      expect(f.collectedAt).toBe('2026-11-27T09:00:00.000Z');
    }
    expect(index.files.find((f) => f.name === `files${LOG}`)).toMatchObject({ source: LOG });
    expect(index.skipped).toContainEqual({ source: `/${LOG_DIR}/1.log`, reason: expect.stringContaining('no such file') });
  });

  it('stays under --max-size by trimming the log to its newest lines, and says so', async () => {
    const r = await bundle('small.tar.gz', '--max-size', '200K');
    expect(r.code, r.stderr).toBe(0);
    const file = path.join(tmp, 'small.tar.gz');
    expect(statSync(file).size).toBeLessThanOrEqual(200 * 1024);
    const index = await jsonEntry<Index>(file, 'index.json');
    const log = index.files.find((f) => f.name === `files${LOG}`)!;
    expect(log.trimmed).toMatchObject({ reason: 'max-size', keptBytes: log.size });
    expect(log.trimmed!.originalBytes).toBeGreaterThan(log.size);
    const text = (await entries(file)).get(`files${LOG}`)!.toString('utf8');
    expect(text.trimEnd().endsWith(`line 1 ${'x'.repeat(60)}`)).toBe(true);
    expect(r.stderr).toMatch(/1 trimmed to fit --max-size/);
  });

  it('keeps only log lines from the --since window', async () => {
    await bundle('since.tar.gz', '--since', '10m');
    const text = (await entries(path.join(tmp, 'since.tar.gz'))).get(`files${LOG}`)!.toString('utf8');
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((l) => l.split(' ')[4]),
    ).toEqual(['10', '9', '8', '7', '6', '5', '4', '3', '2', '1']);
  });

  it('records a configuration file it could not read as skipped', async () => {
    const out = path.join(tmp, 'broken.tar.gz');
    await runCli(['bundle', '--root', path.join(REPO, 'fixtures/scenarios/kubeadm-broken/root'), '--out', out]);
    const index = await jsonEntry<Index>(out, 'index.json');
    expect(index.skipped).toContainEqual({ source: 'fact policy', reason: expect.stringContaining('is a directory') });
  });

  it.each([
    [['--out', '/nonexistent-dir/b.tar.gz'], /cannot write \/nonexistent-dir\/b.tar.gz: its directory does not exist/],
    [['--out', os.tmpdir()], /it is a directory/],
  ])('is a usage error when it cannot write %j', async (args, message) => {
    const r = await runCli(['bundle', '--root', root, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('refuses a --max-size too small for the report and facts', async () => {
    const r = await bundle('tiny.tar.gz', '--max-size', '10K');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-size .* too small/);
  });
});

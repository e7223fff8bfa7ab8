// A bundle re-checked with --from-bundle reaches the verdicts of the live run, on every fixture node.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { jsonEntry } from '../helpers/archive.js';
import { REPO, runCli } from '../helpers/cli.js';

const scenarios = readdirSync(path.join(REPO, 'fixtures/scenarios')).map(
  (name) => [name, path.join(REPO, 'fixtures/scenarios', name, 'root')] as const,
);
const ROOTS = [...scenarios, ['demo', path.join(REPO, 'fixtures/demo/root')] as const];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-roundtrip-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const verdicts = (r: Report) => r.checks.map((c) => ({ id: c.id, status: c.status, summary: c.summary }));

describe.concurrent('doctor --from-bundle', () => {
  it.each(ROOTS)('%s: same verdicts as the live run', async (name, root) => {
    const out = path.join(tmp, `${name}.tar.gz`);
    const [built, live] = await Promise.all([
      runCli(['bundle', '--root', root, '--out', out]),
      runCli(['doctor', '--root', root, '--json']),
    ]);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout.trim()).toBe(out);
    const replayed = await runCli(['doctor', '--from-bundle', out, '--json']);
    const liveReport = JSON.parse(live.stdout) as Report;
    const replayedReport = JSON.parse(replayed.stdout) as Report;
    expect(verdicts(replayedReport)).toEqual(verdicts(liveReport));
    expect(replayed.code).toBe(live.code);
    expect(verdicts(await jsonEntry<Report>(out, 'results.json'))).toEqual(verdicts(liveReport));
    expect(replayedReport.target).toMatchObject({ bundle: out, root: liveReport.target.root, manifest: liveReport.target.manifest });
    expect(Date.parse(replayedReport.target.recordedAt!)).not.toBeNaN();
    expect(liveReport.target.bundle).toBeUndefined();
  });

  it('reads a bundle that was unpacked and re-packed with tar', async () => {
    const out = path.join(tmp, 'repack.tar.gz');
    await runCli(['bundle', '--root', ROOTS[0]![1], '--out', out]);
    const dir = path.join(tmp, 'unpacked');
    mkdirSync(dir);
    execFileSync('tar', ['xzf', out, '-C', dir]);
    const repacked = path.join(tmp, 'repacked.tgz');
    execFileSync('tar', ['czf', repacked, '-C', dir, '.']);
    const [original, again] = await Promise.all([
      runCli(['doctor', '--from-bundle', out, '--json']),
      runCli(['doctor', '--from-bundle', repacked, '--json']),
    ]);
    expect(again.code, again.stderr).toBe(original.code);
    expect(verdicts(JSON.parse(again.stdout) as Report)).toEqual(verdicts(JSON.parse(original.stdout) as Report));
  });

  it('says in text output that the facts were recorded', async () => {
    const out = path.join(tmp, 'text.tar.gz');
    await runCli(['bundle', '--root', ROOTS[0]![1], '--out', out, '--collected-at', '2026-01-02T03:04:05Z']);
    const text = await runCli(['doctor', '--from-bundle', out]);
    expect(text.stdout).toContain(`RECORDED: re-checked from the support bundle ${out} (facts gathered 2026-01-02T03:04:05.000Z)`);
    // The first line is the one the terminal UI shows too.
    expect(text.stdout.split('\n')[0]).toContain('recorded 2026-01-02T03:04:05.000Z');
  });
});

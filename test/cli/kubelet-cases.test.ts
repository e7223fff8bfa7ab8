// The real-kubelet suite's cases (test-kubelet/cases.ts) as plain node roots, judged by the real CLI offline:
// the fast half of `npm run test:kubelet`, where the expected outcomes are those a real kubelet 1.20.2 showed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOCKING, CASES } from '../../test-kubelet/cases.js';
import { manifestPath, renderCase, writeRoot } from '../../test-kubelet/root.js';
import { runCli } from '../helpers/cli.js';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'prisma-audit-kubelet-cases-'));
  await writeRoot(
    root,
    CASES.map((c, i) => renderCase(c, 16400 + 2 * i, 'http://127.0.0.1:2379')),
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe.concurrent('the kubelet suite cases, judged offline', () => {
  it.each(CASES.map((c) => [c.id, c] as const))('%s', async (id, c) => {
    const res = await runCli(['doctor', '--root', root, '--manifest', manifestPath(id), '--offline', '--json']);
    const checks = (JSON.parse(res.stdout) as { checks: { id: string; status: string }[] }).checks;
    const failing = checks.filter((x) => BLOCKING.includes(x.id) && x.status === 'fail').map((x) => x.id);
    const shown = JSON.stringify(
      checks.filter((x) => x.status !== 'pass' && x.status !== 'skip'),
      null,
      1,
    ).slice(0, 4000);
    expect(failing.length === 0, shown).toBe(c.real.outcome === 'healthy');
    for (const want of c.doctor.fail) expect(failing, shown).toContain(want);
    for (const want of c.doctor.warn ?? []) expect(checks.find((x) => x.id === want)?.status, shown).toBe('warn');
    const named = checks.filter((x) => [...c.doctor.fail, ...(c.doctor.warn ?? [])].includes(x.id));
    for (const text of c.doctor.says ?? []) expect(JSON.stringify(named), shown).toMatch(text);
  });
});

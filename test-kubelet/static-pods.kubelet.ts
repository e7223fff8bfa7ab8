// Every case runs as a static pod under one real kubelet 1.20.2 + containerd; the doctor then judges the
// same node root offline, and its verdict (will the apiserver as edited run?) must be what the kubelet did.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test/helpers/cli.js';
import { freePort } from '../test-apiserver/processes.js';
import { BLOCKING, CASES as ALL_CASES } from './cases.js';
import { prepared, readSysctls, startNode, type Node } from './node.js';
import { manifestPath, observe, renderCase, writeRoot, type Observation } from './root.js';
import type { RenderedCase } from './cases.js';

// For bench/kubelet.mjs: run some cases only, keep the root, write the harness timings.
const only = process.env.PRISMA_AUDIT_KUBELET_CASES?.split(',');
const CASES = only ? ALL_CASES.filter((c) => only.includes(c.id)) : ALL_CASES;
const KEEP_ROOT = process.env.PRISMA_AUDIT_KUBELET_KEEP_ROOT === '1';
const TIMINGS = process.env.PRISMA_AUDIT_KUBELET_TIMINGS;
const timings: Record<string, number> = {};

const SETTLE_MS = 150_000;
/** The kubelet refuses volumes with back-off; give it time to say so before calling a pod "never created". */
const REFUSAL_GRACE_MS = 20_000;

interface CheckResult {
  id: string;
  status: string;
  summary: string;
  evidence: { message: string }[];
  remediation: { text: string } | null;
}

describe.skipIf(!prepared())('a real kubelet 1.20.2 runs each case; the doctor agrees', () => {
  let node: Node | null = null;
  let root = '';
  let state = '';
  const rendered: RenderedCase[] = [];
  const altPorts = new Map<string, number>();
  const seen = new Map<string, Observation>();
  const sysctlsBefore = readSysctls();

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'prisma-audit-node-'));
    state = await mkdtemp(join(tmpdir(), 'prisma-audit-kubelet-'));
    const up = Date.now();
    node = await startNode(root, state, async (etcd) => {
      for (const c of CASES) {
        const r = renderCase(c, await freePort(), etcd);
        if (c.real.outcome === 'other-file-runs') {
          const alt = await freePort();
          altPorts.set(c.id, alt);
          const render = r.render;
          r.render = (o = {}) => render({ ...o, port: o.port === r.port + 1 ? alt : o.port });
        }
        rendered.push(r);
      }
      await writeRoot(root, rendered);
    });
    const started = Date.now();
    timings.upMs = started - up;
    while (Date.now() - started < SETTLE_MS) {
      const log = node.kubeletOutput();
      for (const r of rendered) seen.set(r.c.id, await observe(r, root, log, altPorts.get(r.c.id) ?? null));
      const settled = [...seen.values()].every(
        (o) => o.outcome !== 'undecided' && (o.outcome !== 'never-created' || Date.now() - started > REFUSAL_GRACE_MS),
      );
      if (settled) break;
      await new Promise((res) => setTimeout(res, 2000));
    }
    timings.settleMs = Date.now() - started;
    console.log(
      `settled in ${Math.round((Date.now() - started) / 1000)} s:\n${rendered.map((r) => `  ${r.c.id} ${seen.get(r.c.id)?.outcome} (${r.c.title})`).join('\n')}`,
    );
  }, SETTLE_MS + 120_000);

  afterAll(async () => {
    await node?.stop();
    if (KEEP_ROOT) console.log(`node root kept at ${root}`);
    else await rm(root, { recursive: true, force: true });
    if (TIMINGS) writeFileSync(TIMINGS, JSON.stringify({ ...timings, root, cases: CASES.length }));
  }, 120_000);

  it.each(CASES.map((c) => [c.id, c] as const))('%s: the kubelet does what was measured, and the doctor says so', async (id, c) => {
    const r = rendered.find((x) => x.c.id === id)!;
    const o = seen.get(id)!;
    const context = `${id} (${c.title}); pods ${JSON.stringify(o.pods)}\nkubelet:\n${o.kubeletLines.slice(-8).join('\n')}\npod log:\n${o.podLog.slice(-1500)}`;
    expect(o.outcome, context).toBe(c.real.outcome);
    if (c.real.podLog) expect(o.podLog, context).toMatch(c.real.podLog);
    if (c.real.kubeletLog) expect(o.kubeletLines.join('\n'), context).toMatch(c.real.kubeletLog);

    const res = await runCli(['doctor', '--root', root, '--manifest', manifestPath(r.c.id), '--offline', '--json']);
    const report = JSON.parse(res.stdout) as { checks: CheckResult[] };
    const failing = report.checks.filter((x) => BLOCKING.includes(x.id) && x.status === 'fail');
    const shown = JSON.stringify(
      report.checks.filter((x) => x.status !== 'pass' && x.status !== 'skip'),
      null,
      1,
    ).slice(0, 6000);
    // The verdict: the apiserver as written runs exactly when the kubelet ran it healthy.
    expect(failing.length === 0, `${context}\ndoctor:\n${shown}`).toBe(o.outcome === 'healthy');
    for (const want of c.doctor.fail)
      expect(
        failing.map((x) => x.id),
        shown,
      ).toContain(want);
    for (const want of c.doctor.warn ?? []) expect(report.checks.find((x) => x.id === want)?.status, shown).toBe('warn');
    const named = report.checks.filter((x) => [...c.doctor.fail, ...(c.doctor.warn ?? [])].includes(x.id));
    for (const text of c.doctor.says ?? []) expect(JSON.stringify(named), shown).toMatch(text);
  });

  it('stops everything it started and restores what the kubelet changed', async () => {
    const stopping = Date.now();
    await node?.stop();
    timings.stopMs = Date.now() - stopping;
    node = null;
    expect(readSysctls()).toEqual(sysctlsBefore);
    expect(existsSync('/etc/kubernetes')).toBe(false);
    expect(existsSync(state)).toBe(false);
    expect(readFileSync('/proc/mounts', 'utf8')).not.toContain(root);
  }, 120_000);
});

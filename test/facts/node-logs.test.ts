import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeLogsCollector } from '../../src/facts/node/node-logs.js';
import type { CollectContext } from '../../src/facts/collector.js';
import { nodeLogsCheck } from '../../src/checks/node-logs.js';
import { evaluateSafely } from '../../src/checks/run.js';
import { judgeNodeLogs } from '../../src/logs/judge.js';
import { FORMATS, NOW, fixtureLogs } from '../helpers/log-formats.js';

const POD_DIR = 'var/log/pods/kube-system_kube-apiserver-node1_0f3c/kube-apiserver';
const X509 = `2026-11-27T07:20:00.000000000Z stderr F E1127 07:20:00.000000       1 metrics.go:110] Error in audit plugin 'webhook' affecting 3 audit events: Post "https://console:8083/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=?timeout=30s": x509: certificate signed by unknown authority`;
const HEALTHY_START = `2026-11-27T07:10:00.000000000Z stderr F I1127 07:10:00.000000       1 server.go:632] external host was not specified, using 10.0.0.5`;
const KUBELET =
  'Nov 27 06:56:10 node1 kubelet[812]: E1127 06:56:10.000000     812 pod_workers.go:191] Error syncing pod 9f8e ("kube-apiserver-node1_kube-system(9f8e)"), skipping: failed to "StartContainer" for "kube-apiserver" with CrashLoopBackOff: "back-off 10s restarting failed container=kube-apiserver pod=kube-apiserver-node1_kube-system(9f8e)"';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A node root: attempt 0 died on a missing policy file, attempt 1 started fine (and maybe fails to deliver). */
function nodeRoot(attempt1: string[]): string {
  root = mkdtempSync(join(tmpdir(), 'prisma-audit-root-'));
  mkdirSync(join(root, POD_DIR), { recursive: true });
  mkdirSync(join(root, 'var/log/containers'), { recursive: true });
  writeFileSync(join(root, POD_DIR, '0.log'), FORMATS.cri!(fixtureLogs().find((f) => f.name === 'policy-missing')!.lines));
  writeFileSync(join(root, POD_DIR, '1.log'), attempt1.join('\n') + '\n');
  // As the kubelet makes it: an absolute link that names the node's path, not the --root one.
  symlinkSync(`/${POD_DIR}/1.log`, join(root, 'var/log/containers/kube-apiserver-node1_kube-system_kube-apiserver-bbb1.log'));
  writeFileSync(join(root, 'kubelet.log'), `${KUBELET}\n`);
  return root;
}

const context = (rootDir: string, logFiles: string[] = []): CollectContext => ({
  root: rootDir,
  manifest: null,
  kubernetesVersion: null,
  timeoutMs: 5000,
  offline: true,
  now: NOW,
  logFiles,
});

const noDeps = () => Promise.reject(new Error('no deps'));
const collect = (ctx: CollectContext) => nodeLogsCollector.collect(ctx, { need: noDeps, fact: noDeps });

describe('nodeLogs collector on a node root', () => {
  it('reads every attempt and --log-file, finds the latest start, and the check fails on the current error', async () => {
    const dir = nodeRoot([HEALTHY_START, X509]);
    const logs = await collect(context(dir, [join(dir, 'kubelet.log'), join(dir, 'missing.log')]));
    expect(logs.sources.map((s) => [s.name, s.state])).toEqual([
      ['journalctl -u kubelet --since -24h', 'not-available'],
      ['crictl ps -a --name kube-apiserver', 'not-available'],
      [`/${POD_DIR}/0.log`, 'used'],
      [`/${POD_DIR}/1.log`, 'used'],
      ['/var/log/containers/kube-apiserver-*.log', 'used'],
      [join(dir, 'kubelet.log'), 'used'],
      [join(dir, 'missing.log'), 'not-available'],
    ]);
    const judged = judgeNodeLogs(logs);
    expect(judged.latestStart).toEqual({ at: '2026-11-27T07:10:00.000Z', evidence: `first line of /${POD_DIR}/1.log` });
    expect(judged.hits.map((h) => [h.signature, h.source, h.lastSeen])).toEqual([
      ['policy-file-missing', `/${POD_DIR}/0.log`, '2026-11-27T06:55:32.447Z'],
      ['webhook-x509-unknown-authority', `/${POD_DIR}/1.log`, '2026-11-27T07:20:00.000Z'],
      ['apiserver-crashloop', join(dir, 'kubelet.log'), '2026-11-27T06:56:10.000Z'],
    ]);
    expect(judged.hits[1]!.sample).toContain('/api/v1/kubernetes/webhook/****?timeout=30s');
    const finding = evaluateSafely(nodeLogsCheck, { nodeLogs: { ok: true, value: logs } }, NOW);
    expect(finding.status).toBe('fail');
    expect(finding.summary).toContain('webhook-x509-unknown-authority');
    expect(finding.summary).not.toContain('policy-file-missing');
  });

  it('warns when the errors all come from before the latest start', async () => {
    const logs = await collect(context(nodeRoot([HEALTHY_START])));
    const finding = evaluateSafely(nodeLogsCheck, { nodeLogs: { ok: true, value: logs } }, NOW);
    expect(finding.status).toBe('warn');
    expect(finding.remediation!.commands).toEqual(['prisma-audit explain audit-files-mounted']);
  });

  it('says the check could not look when the root holds no logs', async () => {
    root = mkdtempSync(join(tmpdir(), 'prisma-audit-root-'));
    const logs = await collect(context(root));
    expect(logs.sources.every((s) => s.state === 'not-available')).toBe(true);
    expect(evaluateSafely(nodeLogsCheck, { nodeLogs: { ok: true, value: logs } }, NOW).status).toBe('unknown');
  });

  it('refuses a --since it cannot pass to journalctl', async () => {
    root = mkdtempSync(join(tmpdir(), 'prisma-audit-root-'));
    await expect(collect({ ...context(root), since: 'last tuesday' })).rejects.toMatchObject({ error: { reason: 'parse' } });
  });
});

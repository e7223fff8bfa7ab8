// A fleet run against an in-memory API: pods made, followed, read and always deleted.
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { frameDocument } from '../../src/kube/fleet/frame.js';
import { runFleetOn, type FleetRunOptions } from '../../src/facts/fleet/gather.js';
import { buildFleetReport } from '../../src/engine/fleet-report.js';
import { collectOn } from '../../src/facts/fleet/collect.js';
import { fakeCluster, type FakeCluster } from '../helpers/fake-kube.js';
import { podObject, GOOD_FLAGS } from '../helpers/cluster-facts.js';

const cpNode = (name: string) => ({
  metadata: { name, labels: { 'node-role.kubernetes.io/control-plane': '' } },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});

function report(node: string, policy: 'pass' | 'fail'): Report {
  const checks = [
    { id: 'audit-policy-flag', title: 't', status: 'pass' as const, summary: 'set', evidence: [], remediation: null, durationMs: 1 },
    {
      id: 'audit-policy-valid',
      title: 't',
      status: policy,
      summary: policy === 'pass' ? 'loads' : 'does not load',
      evidence: [],
      remediation: null,
      durationMs: 1,
    },
  ];
  return {
    schemaVersion: 1,
    tool: { name: 'prisma-audit', version: 't' },
    target: {
      root: '/host',
      manifest: `/etc/kubernetes/manifests/kube-apiserver.yaml (${node})`,
      distribution: 'kubeadm',
      kubernetesVersion: null,
      demo: false,
      offline: false,
    },
    checks,
    summary: { pass: policy === 'pass' ? 2 : 1, warn: 0, fail: policy === 'fail' ? 1 : 0, skip: 0, unknown: 0 },
  };
}

/** A kubelet that runs each pod to completion, printing the framed report amid stderr noise. */
const working = (policyOn: Record<string, 'pass' | 'fail'>) => (pod: any, c: FakeCluster) => {
  if (pod.status.phase !== 'Pending') return;
  pod.status = { phase: 'Succeeded', containerStatuses: [{ state: { terminated: { exitCode: 0 } } }] };
  c.logs.set(
    pod.metadata.name,
    `(node:1) warning on stderr\n${frameDocument(JSON.stringify(report(pod.spec.nodeName, policyOn[pod.spec.nodeName] ?? 'pass')))}`,
  );
};

const opts = (over: Partial<FleetRunOptions> = {}): FleetRunOptions => ({
  namespace: 'prisma-audit',
  image: 'img',
  parallel: 4,
  deadlineMs: 3000,
  keep: false,
  doctorArgs: [],
  pollMs: 20,
  signal: new AbortController().signal,
  ...over,
});

describe('runFleetOn', () => {
  it('checks every control-plane node, finds their disagreement, and leaves nothing behind', async () => {
    const c = fakeCluster({
      nodes: [cpNode('cp1'), cpNode('cp2'), { metadata: { name: 'w1', labels: {} } }],
      apiservers: [podObject('cp1', GOOD_FLAGS), podObject('cp2', GOOD_FLAGS)],
      kubelet: working({ cp2: 'fail' }),
    });
    const run = await runFleetOn(c, null, opts());
    expect(run.problem).toBeNull();
    expect(run.nodes.map((n) => [n.node, n.outcome])).toEqual([
      ['cp1', 'checked'],
      ['cp2', 'checked'],
    ]);
    expect(run.nodes[0]!.mounted).toContain('/etc/kubernetes/audit');
    const fleet = buildFleetReport(run.nodes, [], { name: 'prisma-audit', version: 't' });
    expect(fleet.findings.find((f) => f.id === 'fleet-consistent')).toMatchObject({
      status: 'fail',
      evidence: [{ message: 'audit-policy-valid: pass on cp1; fail on cp2' }],
    });
    expect(fleet.matrix).toContainEqual({ check: 'audit-policy-valid', statuses: { cp1: 'pass', cp2: 'fail' } });
    expect(c.pods.size).toBe(0);
    // The namespace was created for this run, so it is removed.
    expect(c.namespaces.size).toBe(0);
    expect(run.leftovers).toEqual([]);
  });

  it('reports a node whose pod never starts as unknown at its deadline, and deletes the pod', async () => {
    const c = fakeCluster({ nodes: [cpNode('cp1')] });
    const started = Date.now();
    const run = await runFleetOn(c, null, opts({ deadlineMs: 400 }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(run.nodes[0]).toMatchObject({
      outcome: 'unknown',
      reason: expect.stringMatching(/^pod never started: no kubelet acted on it within 0 s \(the Node object says Ready=True\)/),
    });
    expect(c.pods.size).toBe(0);
    expect(c.deleted).toHaveLength(1);
    expect(c.requests.find((r) => r.method === 'DELETE' && r.path.includes('/pods/'))!.path).toContain('gracePeriodSeconds=0');
  });

  it('drops a host directory the node does not have and makes the pod again', async () => {
    const c = fakeCluster({
      nodes: [cpNode('k3s-1')],
      kubelet: (pod, cluster) => {
        const k3s = pod.spec.volumes.find((v: any) => v.hostPath.path === '/etc/rancher/k3s');
        if (k3s && !cluster.events.some((e) => e.involvedObject.name === pod.metadata.name)) {
          cluster.events.push({
            involvedObject: { kind: 'Pod', name: pod.metadata.name },
            reason: 'FailedMount',
            message: `MountVolume.SetUp failed for volume "${k3s.name}" : hostPath type check failed: /etc/rancher/k3s is not a directory`,
          });
        } else if (!k3s) working({})(pod, cluster);
      },
    });
    const run = await runFleetOn(c, null, opts());
    expect(run.nodes[0]).toMatchObject({
      outcome: 'checked',
      notMounted: [{ hostPath: '/etc/rancher/k3s', reason: expect.stringContaining('not on the node') }],
    });
    expect(run.nodes[0]!.mounted).not.toContain('/etc/rancher/k3s');
    expect(c.deleted).toHaveLength(2);
    expect(c.pods.size).toBe(0);
  });

  it('says the kubelet refused the API server when pods/log answers 401', async () => {
    const c = fakeCluster({
      nodes: [cpNode('cp1')],
      kubelet: working({}),
      answer: (r) => (r.path.includes('/log?') ? { status: 401, body: '{"message":"Unauthorized"}', truncated: false } : undefined),
    });
    const run = await runFleetOn(c, null, opts());
    expect(run.nodes[0]!.reason).toContain("relayed the kubelet's refusal (401 Unauthorized)");
  });

  it('stops at an RBAC refusal to create pods, naming the permission', async () => {
    const c = fakeCluster({
      nodes: [cpNode('cp1'), cpNode('cp2')],
      answer: (r) =>
        r.method === 'POST' && r.path.endsWith('/pods')
          ? { status: 403, body: '{"message":"pods is forbidden: User \\"u\\" cannot create resource \\"pods\\""}', truncated: false }
          : undefined,
    });
    const run = await runFleetOn(c, null, opts({ parallel: 1 }));
    expect(run.problem).toContain('RBAC forbids create pods in prisma-audit');
    expect(run.nodes.every((n) => n.outcome === 'unknown')).toBe(true);
  });

  it('refuses a namespace that enforces PodSecurity restricted before making any pod', async () => {
    const c = fakeCluster({ nodes: [cpNode('cp1')] });
    c.namespaces.set('locked', { metadata: { name: 'locked', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
    const run = await runFleetOn(c, null, opts({ namespace: 'locked' }));
    expect(run.problem).toContain('enforces the PodSecurity "restricted" level');
    expect(c.requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('deletes every pod when interrupted, and keeps an existing namespace', async () => {
    const c = fakeCluster({ nodes: [cpNode('cp1'), cpNode('cp2')] });
    c.namespaces.set('prisma-audit', { metadata: { name: 'prisma-audit' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const run = await runFleetOn(c, null, opts({ signal: controller.signal, deadlineMs: 10_000 }));
    expect(run.nodes.map((n) => n.reason)).toEqual(['interrupted before the pod finished', 'interrupted before the pod finished']);
    expect(c.pods.size).toBe(0);
    expect(c.namespaces.has('prisma-audit')).toBe(true);
  });

  it('leaves the pods with --keep and says so', async () => {
    const c = fakeCluster({ nodes: [cpNode('cp1')], kubelet: working({}) });
    const run = await runFleetOn(c, null, opts({ keep: true }));
    expect(c.pods.size).toBe(1);
    expect(run.leftovers[0]).toMatch(/^kept \(--keep\): pod prisma-audit\/prisma-audit-cp1-/);
  });
});

describe('collectOn (fleet --collect)', () => {
  it('reads the newest Job pod of each node, and says which nodes have none or have not finished', async () => {
    const c = fakeCluster({ nodes: [cpNode('cp1'), cpNode('cp2'), cpNode('cp3')] });
    const jobPod = (name: string, node: string, created: string, status: object) => ({
      metadata: {
        name,
        creationTimestamp: created,
        labels: { 'prisma-audit.io/run': 'manifests' },
        annotations: { 'prisma-audit.io/node': node },
      },
      spec: { nodeName: node },
      status,
    });
    const done = { phase: 'Succeeded', containerStatuses: [{ state: { terminated: { exitCode: 0 } } }] };
    c.pods.set('old', jobPod('old', 'cp1', '2026-11-28T00:00:00Z', { phase: 'Failed', reason: 'DeadlineExceeded' }));
    c.pods.set('new', jobPod('new', 'cp1', '2026-11-29T00:00:00Z', done));
    c.pods.set('slow', jobPod('slow', 'cp2', '2026-11-29T00:00:00Z', { phase: 'Pending' }));
    c.logs.set('new', frameDocument(JSON.stringify(report('cp1', 'pass'))));
    const run = await collectOn(c, null, 'prisma-audit');
    expect(run.nodes.map((n) => [n.node, n.outcome, n.pod])).toEqual([
      ['cp1', 'checked', 'new'],
      ['cp2', 'unknown', 'slow'],
      ['cp3', 'unknown', null],
    ]);
    expect(run.nodes[1]!.reason).toContain('has not finished yet (not started: no kubelet has acted on it)');
    expect(run.nodes[2]!.reason).toContain('no Job pod for node cp3');
  });
});

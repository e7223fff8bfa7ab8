// Cluster collectors with a fake KubeClient: how API answers become facts.
import { describe, expect, it } from 'vitest';
import { auditMetricsCollector } from '../../src/facts/cluster/audit-metrics.js';
import type { KubeClient, KubeRequest, KubeResponse } from '../../src/io/kube-client.js';
import { memoKubeAccess } from '../../src/io/kube-client.js';
import { skipOnManagedControlPlane } from '../../src/facts/cluster/node-checks-on-managed.js';
import { apiserverPodLogsCollector } from '../../src/facts/cluster/pod-logs.js';
import { sourceHits } from '../../src/logs/judge.js';
import type { CollectContext, Collector, DepReader } from '../../src/facts/collector.js';
import type { Facts } from '../../src/model/facts.js';
import { GOOD_FLAGS, NOW, pod } from '../helpers/cluster-facts.js';

type Route = (req: KubeRequest) => KubeResponse | undefined;

function fakeClient(route: Route): KubeClient & { seen: KubeRequest[] } {
  const seen: KubeRequest[] = [];
  return {
    server: 'https://10.0.0.1:6443',
    context: 'test',
    source: '--kubeconfig /test',
    seen,
    async request(req) {
      seen.push(req);
      return route(req) ?? { status: 404, body: '{"message":"not found"}', truncated: false };
    },
  };
}

const ctx = (client: KubeClient, canary?: string | null): CollectContext => ({
  root: '/',
  manifest: null,
  kubernetesVersion: null,
  timeoutMs: 1000,
  offline: false,
  now: NOW,
  kube: memoKubeAccess(async () => client, canary),
});

const depsWith = (facts: Partial<Facts>): DepReader => ({
  async need(key) {
    const f = facts[key];
    if (!f?.ok) throw new Error(`no ${key}`);
    return f.value as never;
  },
  async fact(key) {
    return (facts[key] ?? { ok: false, error: { reason: 'not-applicable', message: `no ${key}` } }) as never;
  },
});

const pods = (...p: ReturnType<typeof pod>[]) => depsWith({ clusterApiservers: { ok: true, value: { selector: 't', pods: p } } });

describe('apiserverPodLogs', () => {
  it('reads current and previous logs with bounds and keeps their candidate lines', async () => {
    const line =
      'E1127 08:00:00.000000       1 metrics.go:109] Error in audit plugin \'webhook\' affecting 1 audit events: Post "https://c:8083/api/v1/kubernetes/webhook/x?timeout=30s": x509: certificate signed by unknown authority\n';
    const client = fakeClient((req) =>
      req.path.includes('previous=true')
        ? { status: 400, body: 'previous terminated container "kube-apiserver" in pod not found', truncated: false }
        : { status: 200, body: line, truncated: false },
    );
    const [logs] = await apiserverPodLogsCollector.collect(ctx(client), pods(pod('a')));
    expect(client.seen.map((r) => r.path)).toEqual([
      '/api/v1/namespaces/kube-system/pods/kube-apiserver-a/log?container=kube-apiserver&tailLines=5000&limitBytes=4194304',
      '/api/v1/namespaces/kube-system/pods/kube-apiserver-a/log?container=kube-apiserver&tailLines=5000&limitBytes=4194304&previous=true',
    ]);
    expect(logs!.reads[1]).toEqual({
      attempt: 'previous',
      bytes: null,
      truncated: false,
      reason: 'no previous container attempt',
      log: { format: null, lines: [], omitted: 0 },
    });
    // The fact keeps the line, masked; the apiserver-logs check judges it.
    expect(logs!.reads[0]!.log.lines).toEqual([
      { offset: 0, time: '2026-11-27T08:00:00.000Z', hit: 'audit plugin', text: expect.stringContaining('/webhook/****?timeout=30s') },
    ]);
    const hits = sourceHits('pods/log kube-system/kube-apiserver-a (current)', logs!.reads[0]!.log);
    expect(hits.map((h) => [h.severity, h.implicates])).toEqual([['error', 'webhook-tls-chain']]);
  });

  it('fails the fact with the exact RBAC need on 403', async () => {
    const client = fakeClient(() => ({ status: 403, body: '{}', truncated: false }));
    await expect(apiserverPodLogsCollector.collect(ctx(client), pods(pod('a')))).rejects.toMatchObject({
      error: { reason: 'permission', message: 'RBAC forbids get pods/log in kube-system (403 Forbidden)' },
    });
  });
});

describe('auditMetrics canary', () => {
  const metrics = (events: number) => ({ status: 200, body: `apiserver_audit_event_total ${events}\n`, truncated: false });

  it('reports a missing twistlock namespace as the canary problem, keeping the counters', async () => {
    const client = fakeClient((req) => (req.path === '/metrics' ? metrics(7) : undefined));
    const m = await auditMetricsCollector.collect(ctx(client, null), pods(pod('a')));
    expect(m.counters.events).toBe(7);
    expect(m.canary?.problem).toBe('namespace twistlock does not exist (the Prisma policy audits writes there); pass --canary NAMESPACE');
  });

  it('creates a labelled ConfigMap in the named namespace, deletes it, waits one batch, reads again', async () => {
    let events = 10;
    const client = fakeClient((req) => {
      if (req.path === '/metrics') return metrics(events);
      if (req.method === 'POST') return ((events += 2), { status: 201, body: '{}', truncated: false });
      if (req.method === 'DELETE') return { status: 200, body: '{}', truncated: false };
      return undefined;
    });
    const fast = pod('a', [...GOOD_FLAGS, '--audit-webhook-batch-max-wait=10ms']);
    const m = await auditMetricsCollector.collect(ctx(client, 'prod'), pods(fast));
    const post = client.seen.find((r) => r.method === 'POST')!;
    expect(post.path).toBe('/api/v1/namespaces/prod/configmaps');
    expect(post.body).toMatchObject({ metadata: { labels: { 'prisma-audit.io/canary': 'true' } } });
    expect(client.seen.find((r) => r.method === 'DELETE')?.path).toMatch(/^\/api\/v1\/namespaces\/prod\/configmaps\/prisma-audit-canary-/);
    expect(m.canary).toMatchObject({ namespace: 'prod', waitedMs: 2010, problem: null, before: { events: 10 }, after: { events: 12 } });
  });

  it('extends its deadline only when the canary runs', () => {
    const client = fakeClient(() => undefined);
    expect(auditMetricsCollector.waitsMs?.(ctx(client))).toBe(0);
    expect(auditMetricsCollector.waitsMs?.(ctx(client, null))).toBe(60_000);
  });
});

describe('node checks on a managed control plane', () => {
  const node: Collector<'apiserver'> = { key: 'apiserver', deps: [], collect: async () => ({ distribution: 'kubeadm' }) as never };
  const wrapped = skipOnManagedControlPlane(node);
  const c = { root: '/', manifest: null, kubernetesVersion: null, timeoutMs: 1, offline: false, now: NOW };

  it('makes the apiserver fact not-applicable on EKS, naming the provider', async () => {
    const deps = depsWith({ managedControlPlane: { ok: true, value: { provider: 'eks', signals: [] } } });
    await expect(wrapped.collect(c, deps)).rejects.toMatchObject({
      error: {
        reason: 'not-applicable',
        message: 'Amazon EKS manages kube-apiserver: node-level audit checks do not apply (see managed-control-plane)',
      },
    });
  });

  it('changes nothing without cluster mode or on a self-managed cluster', async () => {
    expect(await wrapped.collect(c, depsWith({}))).toEqual({ distribution: 'kubeadm' });
    expect(await wrapped.collect(c, depsWith({ managedControlPlane: { ok: true, value: { provider: null, signals: [] } } }))).toEqual({
      distribution: 'kubeadm',
    });
  });
});

// Cluster checks judged from fact literals: statuses and what they name.
import { describe, expect, it } from 'vitest';
import { evaluateSafely } from '../../src/checks/run.js';
import type { Fact } from '../../src/model/report.js';
import type { Facts } from '../../src/model/facts.js';
import type { ApiserverPodLogs, AuditMetrics, ManagedControlPlane } from '../../src/model/cluster.js';
import { controlPlaneApiservers } from '../../src/checks/control-plane-apiservers.js';
import { controlPlaneConsistent } from '../../src/checks/control-plane-consistent.js';
import { kubeadmConfigDurable } from '../../src/checks/kubeadm-config-durable.js';
import { auditDelivery } from '../../src/checks/audit-delivery.js';
import { managedControlPlane } from '../../src/checks/managed-control-plane.js';
import { apiserverLogs } from '../../src/checks/apiserver-logs.js';
import { GOOD_FLAGS, NOW, manifestAsPod, pod } from '../helpers/cluster-facts.js';
import { readApiserverPod } from '../../src/kube/pods.js';

const ok = <T>(value: T): Fact<T> => ({ ok: true, value });
const apiservers = (...pods: ReturnType<typeof pod>[]) => ok({ selector: 'test', pods });

describe('control-plane-apiservers', () => {
  it('passes when every pod passes the manifest checks', () => {
    const f = evaluateSafely(
      controlPlaneApiservers,
      { clusterApiservers: apiservers(pod('a', [...GOOD_FLAGS, '--audit-log-path=-'])) },
      NOW,
    );
    expect(f.status).toBe('pass');
    expect(f.summary).toBe('1 apiserver pod(s) (a) pass 6 manifest checks');
  });

  it('labels each result by node and reports the worst one', () => {
    const f = evaluateSafely(
      controlPlaneApiservers,
      { clusterApiservers: apiservers(pod('a', [...GOOD_FLAGS, '--audit-log-path=-']), pod('b', ['--audit-log-path=-'])) },
      NOW,
    );
    expect(f.status).toBe('fail');
    expect(f.summary).toMatch(
      /^b: audit-policy-flag, b: audit-webhook-flag \(b: --audit-policy-file is not set in pod kube-system\/kube-apiserver-b \(node b\)/,
    );
    expect(f.evidence?.[0]).toEqual({
      message: 'a: pod kube-apiserver-a Running, 3 restart(s), last attempt ended Error (exit code 1) (see apiserver-logs)',
    });
    expect(f.evidence).toContainEqual({
      message:
        'a: audit-webhook-flag pass: --audit-webhook-config-file=/etc/kubernetes/audit/webhook.yaml (pod kube-system/kube-apiserver-a (node a))',
    });
  });

  it('runs the real-world dynamic-audit manifest through dynamic-audit-leftovers', () => {
    const leftover = readApiserverPod(manifestAsPod('kubeadm-manifests/pspsketch-dynamic-audit-stdout.yaml', 'old-cp'));
    const f = evaluateSafely(controlPlaneApiservers, { clusterApiservers: apiservers(leftover) }, NOW);
    expect(f.status).toBe('fail');
    // The pod's image says 1.14, where these settings still work: warn, judged by the pod's own version.
    expect(f.evidence?.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/^old-cp: dynamic-audit-leftovers warn: dynamic audit leftovers .* work on 1\.14\.0/),
    );
  });

  it('skips when the API lists no apiserver pod (managed control plane, k3s)', () => {
    expect(evaluateSafely(controlPlaneApiservers, { clusterApiservers: apiservers() }, NOW).status).toBe('skip');
  });

  it('is unknown with the exact RBAC need when listing pods was refused', () => {
    const refused: Facts['clusterApiservers'] = {
      ok: false,
      error: { reason: 'permission', message: 'RBAC forbids list pods in kube-system (403 Forbidden)' },
    };
    expect(evaluateSafely(controlPlaneApiservers, { clusterApiservers: refused }, NOW)).toMatchObject({
      status: 'unknown',
      summary: 'could not look: RBAC forbids list pods in kube-system (403 Forbidden)',
    });
  });
});

describe('control-plane-consistent', () => {
  it.each([
    ['one apiserver', [pod('a')], 'pass', 'one kube-apiserver (a): nothing to compare'],
    ['three alike', [pod('a'), pod('b'), pod('c')], 'pass', '3 apiservers (a, b, c) have the same audit flags, mounts and paths'],
    [
      'c lacks the webhook flag',
      [pod('a'), pod('b'), pod('c', [GOOD_FLAGS[0]!])],
      'fail',
      'c differs from the other apiservers: c has --audit-webhook-config-file = (not set) (others: /etc/kubernetes/audit/webhook.yaml) and 2 more difference(s)',
    ],
    [
      'two nodes, no majority',
      [pod('a', [...GOOD_FLAGS, '--audit-webhook-mode=batch']), pod('b', [...GOOD_FLAGS, '--audit-webhook-mode=blocking'])],
      'fail',
      'the apiservers disagree (a, b): a has --audit-webhook-mode = batch, b has --audit-webhook-mode = blocking',
    ],
  ] as const)('%s', (_name, pods, status, summary) => {
    const f = evaluateSafely(controlPlaneConsistent, { clusterApiservers: apiservers(...pods) }, NOW);
    expect([f.status, f.summary]).toEqual([status, summary]);
  });
});

describe('kubeadm-config-durable', () => {
  const kubeadm = (extraArgs: Record<string, string>, extraVolumes: { name: string; hostPath: string; mountPath: string }[] = []) =>
    ok({ config: { apiVersion: 'kubeadm.k8s.io/v1beta3', extraArgs, extraVolumes }, parseError: null });
  const volume = { name: 'audit', hostPath: '/etc/kubernetes/audit', mountPath: '/etc/kubernetes/audit' };
  const args = {
    'audit-policy-file': '/etc/kubernetes/audit/policy.yaml',
    'audit-webhook-config-file': '/etc/kubernetes/audit/webhook.yaml',
  };

  it.each([
    ['flags and volume kept', kubeadm(args, [volume]), 'pass'],
    ['volume only in the manifest', kubeadm(args), 'warn'],
    ['flags only in the manifest', kubeadm({}, [volume]), 'warn'],
    ['not a kubeadm cluster', ok({ config: null, parseError: null }), 'skip'],
    ['unparsable ClusterConfiguration', ok({ config: null, parseError: 'data.ClusterConfiguration is not valid YAML: x' }), 'unknown'],
  ] as const)('%s', (_name, kubeadmConfig, status) => {
    expect(evaluateSafely(kubeadmConfigDurable, { kubeadmConfig, clusterApiservers: apiservers(pod('a')) }, NOW).status).toBe(status);
  });

  it('names what kubeadm upgrade would drop', () => {
    const f = evaluateSafely(
      kubeadmConfigDurable,
      { kubeadmConfig: kubeadm({ 'audit-policy-file': '/old/policy.yaml' }), clusterApiservers: apiservers(pod('a')) },
      NOW,
    );
    expect(f.evidence?.map((e) => e.message).slice(1)).toEqual([
      'not in kubeadm-config: extraArgs audit-policy-file: /etc/kubernetes/audit/policy.yaml (kubeadm-config has /old/policy.yaml)',
      'not in kubeadm-config: extraArgs audit-webhook-config-file: /etc/kubernetes/audit/webhook.yaml',
      'not in kubeadm-config: extraVolumes audit: hostPath /etc/kubernetes/audit at /etc/kubernetes/audit',
    ]);
  });

  it("does not ask to preserve kubeadm's own pki mount", () => {
    const inPki = pod('a', ['--audit-policy-file=/etc/kubernetes/pki/policy.yaml'], {
      mountPath: '/etc/kubernetes/pki',
      hostPath: '/etc/kubernetes/pki',
    });
    expect(
      evaluateSafely(
        kubeadmConfigDurable,
        { kubeadmConfig: kubeadm({ 'audit-policy-file': '/etc/kubernetes/pki/policy.yaml' }), clusterApiservers: apiservers(inPki) },
        NOW,
      ).status,
    ).toBe('pass');
  });
});

describe('audit-delivery', () => {
  const counters = (events: number | null, webhookErrors: number | null) => ({ events, webhookErrors });
  const metrics = (m: Partial<AuditMetrics>): Fact<AuditMetrics> =>
    ok({ counters: counters(10, 0), canary: null, severalApiservers: false, ...m });
  const canary = (before: [number, number], after: [number, number], problem: string | null = null) => ({
    counters: counters(...after),
    canary: {
      namespace: 'twistlock',
      configMap: 'prisma-audit-canary-x',
      waitedMs: 32_000,
      before: counters(...before),
      after: counters(...after),
      problem,
    },
  });

  it.each([
    ['counters only, clean', metrics({}), 'pass'],
    ['no event since start', metrics({ counters: counters(0, 0) }), 'warn'],
    ['metric absent', metrics({ counters: counters(null, null) }), 'warn'],
    ['webhook errors since start', metrics({ counters: counters(10, 4) }), 'warn'],
    ['canary: events rose, no error', metrics(canary([10, 0], [12, 0])), 'pass'],
    ['canary: no event', metrics(canary([10, 0], [10, 0])), 'fail'],
    ['canary: webhook errors rose', metrics(canary([10, 0], [12, 1])), 'fail'],
    ['canary refused by RBAC', metrics(canary([10, 0], [10, 0], 'RBAC forbids create configmaps in twistlock (403 Forbidden)')), 'unknown'],
  ] as const)('%s', (_name, auditMetrics, status) => {
    expect(evaluateSafely(auditDelivery, { auditMetrics }, NOW).status).toBe(status);
  });

  it('says /metrics may come from any apiserver when there are several', () => {
    const f = evaluateSafely(auditDelivery, { auditMetrics: metrics({ severalApiservers: true }) }, NOW);
    expect(f.evidence?.[1]?.message).toMatch(/^several apiservers/);
  });
});

describe('managed-control-plane', () => {
  const kubeApi = ok({ server: 'https://10.0.0.1:6443', context: 'prod', source: '--kubeconfig /k', gitVersion: 'v1.28.3-eks-4f4795d' });
  const managed = (m: ManagedControlPlane) => ({ kubeApi, managedControlPlane: ok(m) });
  it.each([
    ['eks', /CloudWatch/, /control-plane log type "audit"/],
    ['gke', /Cloud Logging/, /logging\.read/],
    ['aks', /Log Analytics/, /"kube-audit"/],
  ] as const)('%s: warn, never fail, and says how Prisma collects events', (provider, how, enable) => {
    const f = evaluateSafely(managedControlPlane, managed({ provider, signals: ['x'] }), NOW);
    expect(f.status).toBe('warn');
    expect(f.summary).toMatch(how);
    expect(f.remediation?.text).toMatch(enable);
    expect(f.remediation?.text).toContain('Defend > Access > Kubernetes');
  });

  it('passes a self-managed control plane, saying which API server it asked', () => {
    const f = evaluateSafely(managedControlPlane, managed({ provider: null, signals: [] }), NOW);
    expect(f.status).toBe('pass');
    expect(f.evidence).toEqual([{ message: 'API server https://10.0.0.1:6443 (v1.28.3-eks-4f4795d), context prod from --kubeconfig /k' }]);
  });
});

describe('apiserver-logs', () => {
  const logs = (reads: ApiserverPodLogs['reads']): Fact<ApiserverPodLogs[]> => ok([{ pod: 'kube-apiserver-a', node: 'a', reads }]);
  /** A line of each severity, as the collector keeps it: the check judges them with the catalogue. */
  const LINES = {
    fatal: 'Error: initializing audit webhook: invalid configuration: host must be a URL or a host:port pair',
    error:
      "E1127 08:30:00.000001       1 metrics.go:110] Error in audit plugin 'webhook' affecting 4 audit events: the server could not find the requested resource",
    warning:
      'W1127 08:00:00.000000       1 reader.go:70] "audit.k8s.io/v1beta1" is deprecated and will be removed in a future release, use "audit.k8s.io/v1" instead',
  };
  const read = (severities: (keyof typeof LINES)[], attempt: 'current' | 'previous' = 'current') => ({
    attempt,
    bytes: 100,
    truncated: false,
    reason: null,
    // Each line twice: the count the summary gives.
    log: {
      format: 'plain' as const,
      lines: severities.flatMap((s) => [0, 1].map((n) => ({ offset: n, time: null, hit: 'audit', text: LINES[s] }))),
      omitted: 0,
    },
  });
  it.each([
    ['clean', [read([])], 'pass'],
    ['fatal in the previous attempt', [read([]), read(['fatal'], 'previous')], 'fail'],
    ['delivery error', [read(['error'])], 'fail'],
    ['warning only', [read(['warning'])], 'warn'],
    [
      'nothing readable',
      [
        {
          attempt: 'current' as const,
          bytes: null,
          truncated: false,
          reason: 'the API server answered 500',
          log: { format: null, lines: [], omitted: 0 },
        },
      ],
      'unknown',
    ],
  ])('%s', (_name, reads, status) => {
    expect(evaluateSafely(apiserverLogs, { apiserverPodLogs: logs(reads) }, NOW).status).toBe(status);
  });

  it('names the node and attempt of a fatal line', () => {
    const f = evaluateSafely(apiserverLogs, { apiserverPodLogs: logs([read(['fatal'], 'previous')]) }, NOW);
    expect(f.summary).toBe('a (previous log): the webhook server URL has no scheme but has a path (2x; see webhook-url)');
  });
});

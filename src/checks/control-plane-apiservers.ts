// control-plane-apiservers: the manifest-level checks, run on the spec of every kube-apiserver pod
// the API lists, each result labelled by node. The checks themselves are reused as they are: each
// pod becomes an `apiserver` fact (and its audit paths an `auditPaths` fact) for them.
import type { Check } from './check.js';
import { evaluateSafely } from './run.js';
import type { Evidence, Finding, Status } from '../model/report.js';
import type { ApiserverPod } from '../model/cluster.js';
import { auditPolicyFlag, auditWebhookFlag } from './audit-flags.js';
import { auditLogPath } from './audit-log-path.js';
import { dynamicAuditLeftovers } from './dynamic-audit-leftovers.js';
import { auditWebhookMode } from './audit-webhook-mode.js';
import { auditFilesMounted } from './audit-files.js';

/** The checks that need only flags and mounts. audit-files-readable is left out: it stats host
 * files, which the API cannot show. */
export const POD_SPEC_CHECKS: Check[] = [
  auditPolicyFlag,
  auditWebhookFlag,
  auditLogPath,
  dynamicAuditLeftovers,
  auditWebhookMode,
  auditFilesMounted,
];

const SEVERITY: Record<Status, number> = { fail: 4, warn: 3, unknown: 2, pass: 1, skip: 0 };

export interface PodCheckResult {
  node: string;
  check: string;
  finding: Finding;
}

export function judgePod(pod: ApiserverPod, now: Date): PodCheckResult[] {
  if (!pod.config) {
    return [
      {
        node: pod.node,
        check: 'pod-spec',
        finding: { status: 'unknown', summary: `${pod.pod}: ${pod.error ?? 'no apiserver container'}` },
      },
    ];
  }
  const facts = { apiserver: { ok: true as const, value: pod.config }, auditPaths: { ok: true as const, value: pod.auditPaths } };
  return POD_SPEC_CHECKS.map((check) => ({ node: pod.node, check: check.id, finding: evaluateSafely(check, facts, now) }));
}

export const controlPlaneApiservers: Check = {
  id: 'control-plane-apiservers',
  title: 'audit configuration of every apiserver pod',
  reads: 'the kube-apiserver pods in kube-system (Kubernetes API: list pods)',
  needs: ['clusterApiservers'],
  network: true,
  explain: {
    why: 'On an HA control plane every node runs its own kube-apiserver. The node checks read one manifest; through the API every apiserver pod can be judged from wherever you run.',
    detect: `Lists pods in kube-system, keeps the kube-apiserver mirror pods, reads flags, volumeMounts and volumes from each spec, and runs ${POD_SPEC_CHECKS.map((c) => c.id).join(', ')} on each, labelled by node. Host files cannot be stat'ed through the API: run the node checks on each node for those.`,
    fix: 'Follow the remediation of the failing check on the named node (prisma-audit explain <check-id>).',
  },
  evaluate(facts) {
    const { pods, selector } = facts.get('clusterApiservers');
    if (pods.length === 0) {
      return {
        status: 'skip',
        summary: `no kube-apiserver pod found (${selector}): managed control plane, k3s or an apiserver outside the cluster (see managed-control-plane)`,
      };
    }
    const results = pods.flatMap((p) => judgePod(p, facts.now));
    const evidence: Evidence[] = [
      ...pods.map((p) => ({
        message: `${p.node}: pod ${p.pod} ${p.phase ?? 'phase unknown'}${p.restartCount ? `, ${p.restartCount} restart(s)` : ''}${p.lastTermination ? `, last attempt ended ${p.lastTermination} (see apiserver-logs)` : ''}`,
      })),
      ...results.map((r) => ({ message: `${r.node}: ${r.check} ${r.finding.status}: ${r.finding.summary}` })),
    ];
    const worst = results.reduce((a, b) => (SEVERITY[b.finding.status] > SEVERITY[a.finding.status] ? b : a));
    const nodes = pods.map((p) => p.node).join(', ');
    if (SEVERITY[worst.finding.status] <= SEVERITY.pass) {
      return {
        status: 'pass',
        summary: `${pods.length} apiserver pod(s) (${nodes}) pass ${POD_SPEC_CHECKS.length} manifest checks`,
        evidence,
      };
    }
    const bad = results.filter((r) => r.finding.status === worst.finding.status);
    return {
      status: worst.finding.status,
      summary: `${bad.map((r) => `${r.node}: ${r.check}`).join(', ')} (${worst.node}: ${worst.finding.summary})`,
      evidence,
      remediation: worst.finding.remediation,
    };
  },
};

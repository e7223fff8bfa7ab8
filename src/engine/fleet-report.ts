// The fleet report: every node's own report, the node × check matrix, and what only the fleet
// shows: nodes that disagree, and nodes that could not be checked. Pure.
import type { CheckResult, Status, Summary } from '../model/report.js';
import { summarize } from '../checks/run.js';
import { nodeKey, type FleetNodeResult, type FleetReport } from '../model/fleet.js';

const finding = (
  id: string,
  title: string,
  status: Status,
  summary: string,
  evidence: string[],
  remediation: string | null,
): CheckResult => ({
  id,
  title,
  status,
  summary,
  evidence: evidence.map((message) => ({ message })),
  remediation: remediation ? { text: remediation, commands: [], fix: null } : null,
  durationMs: 0,
});

function coverage(nodes: FleetNodeResult[], clusters: FleetReport['clusters']): CheckResult {
  const title = 'Every control-plane node was checked';
  const problems = clusters.filter((c) => c.problem !== null).map((c) => `${c.context ? `${c.context}: ` : ''}${c.problem}`);
  if (nodes.length === 0 && problems.length > 0) {
    return finding(
      'fleet-nodes-checked',
      title,
      'unknown',
      `no node could be checked: ${problems[0]}`,
      problems.slice(1),
      'Each line says what stopped the run and how to let it go ahead.',
    );
  }
  if (nodes.length === 0) {
    return finding(
      'fleet-nodes-checked',
      title,
      'unknown',
      'no control-plane node found: no node runs a kube-apiserver pod or carries a control-plane label',
      [],
      'Check that the kubeconfig points at the cluster, and that kube-apiserver pods are visible in kube-system (managed clusters have none).',
    );
  }
  const missed = nodes.filter((n) => n.outcome !== 'checked');
  if (missed.length === 0)
    return finding('fleet-nodes-checked', title, 'pass', `all ${nodes.length} control-plane node(s) checked`, [], null);
  return finding(
    'fleet-nodes-checked',
    title,
    'unknown',
    `${missed.length} of ${nodes.length} control-plane node(s) could not be checked: ${missed.map(nodeKey).join(', ')}`,
    [...problems, ...missed.map((n) => `${nodeKey(n)}: ${n.reason}`)],
    "Each line says why that node's pod did not report; fix that and run fleet again, or run prisma-audit doctor on the node itself.",
  );
}

/** Checks whose verdict differs between the checked nodes: the setup is not the same everywhere,
 * so events are lost from some apiservers even if one node looks right. */
function agreement(nodes: FleetNodeResult[]): CheckResult {
  const title = 'Every control-plane node gives the same verdicts';
  const checked = nodes.filter((n) => n.report !== null);
  if (checked.length < 2)
    return finding('fleet-consistent', title, 'skip', `${checked.length} node(s) checked: nothing to compare`, [], null);
  const ids = [...new Set(checked.flatMap((n) => n.report!.checks.map((c) => c.id)))];
  const evidence: string[] = [];
  let failing = false;
  for (const id of ids) {
    const by = new Map<Status, string[]>();
    for (const n of checked) {
      const r = n.report!.checks.find((c) => c.id === id);
      if (!r || r.status === 'skip') continue;
      by.set(r.status, [...(by.get(r.status) ?? []), nodeKey(n)]);
    }
    if (by.size < 2) continue;
    failing ||= by.has('fail') && by.has('pass');
    evidence.push(`${id}: ${[...by.entries()].map(([s, ns]) => `${s} on ${ns.join(', ')}`).join('; ')}`);
  }
  if (evidence.length === 0)
    return finding('fleet-consistent', title, 'pass', `all ${checked.length} checked nodes give the same verdict on every check`, [], null);
  return finding(
    'fleet-consistent',
    title,
    failing ? 'fail' : 'warn',
    `the nodes disagree on ${evidence.length} check(s): ${evidence.map((e) => e.split(':')[0]).join(', ')}`,
    evidence,
    'Every apiserver sends its own audit events: make the audit setup the same on every control-plane node (the per-node reports say what each one lacks).',
  );
}

export function buildFleetReport(nodes: FleetNodeResult[], clusters: FleetReport['clusters'], tool: FleetReport['tool']): FleetReport {
  const ids = [...new Set(nodes.flatMap((n) => n.report?.checks.map((c) => c.id) ?? []))];
  const matrix = ids.map((check) => ({
    check,
    statuses: Object.fromEntries(nodes.map((n) => [nodeKey(n), n.report?.checks.find((c) => c.id === check)?.status ?? null])),
  }));
  const findings = [coverage(nodes, clusters), agreement(nodes)];
  const total: Summary = summarize(findings);
  for (const n of nodes) for (const s of Object.keys(total) as (keyof Summary)[]) total[s] += n.report?.summary[s] ?? 0;
  return {
    schemaVersion: 1,
    kind: 'fleet',
    tool,
    clusters,
    nodes,
    matrix,
    findings,
    summary: { ...total, nodes: nodes.length, checked: nodes.filter((n) => n.outcome === 'checked').length },
  };
}

// One node: create its pod, follow it through the shared poller until it finishes, cannot run, or
// its deadline passes; read the report; delete the pod. A host directory the node lacks is dropped
// and the pod made again, because any one missing hostPath keeps the whole pod from starting.
import { call, statusMessage } from '../cluster/api.js';
import type { KubeClient } from '../../io/kube-client.js';
import type { ApiserverPod } from '../../model/cluster.js';
import { FactFailure } from '../collector.js';
import { FleetError, podSecurityRefusal } from './errors.js';
import { planMounts } from '../../kube/fleet/mounts.js';
import { Aborted, type PodPoller } from './poller.js';
import { buildPod, podName, type PodOptions } from '../../kube/fleet/pod-spec.js';
import { podState, type PodState } from '../../kube/fleet/pod-status.js';
import { readPodReport } from './pod-report.js';
import type { ControlPlaneNode, FleetNodeResult, HostMount } from '../../model/fleet.js';

export interface NodeRunContext {
  client: KubeClient;
  poller: PodPoller;
  pod: Omit<PodOptions, 'runId'> & { runId: string };
  deadlineMs: number;
  keep: boolean;
  cluster: string | null;
  /** Every pod that exists now, so an interrupted run can still delete them. */
  live: Set<string>;
}

/** The next poll, or the deadline, whichever comes first; the timer is cleared either way, so a
 * finished run does not wait out the longest deadline before the process can exit. */
async function nextLookOrDeadline(poller: PodPoller, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([poller.next(), new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now()))))]);
  } finally {
    clearTimeout(timer);
  }
}

export async function deletePod(client: KubeClient, namespace: string, name: string): Promise<string | null> {
  // gracePeriodSeconds=0: a pod bound to a node without a kubelet otherwise stays Terminating.
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}?gracePeriodSeconds=0`;
  try {
    const res = await call(client, `delete pods in ${namespace}`, { method: 'DELETE', path });
    if ((res.status >= 200 && res.status < 300) || res.status === 404) return null;
    return `pod ${namespace}/${name} could not be deleted (${res.status}: ${statusMessage(res.body)}): kubectl -n ${namespace} delete pod ${name} --grace-period=0`;
  } catch (err) {
    return `pod ${namespace}/${name} could not be deleted (${(err as Error).message}): kubectl -n ${namespace} delete pod ${name} --grace-period=0`;
  }
}

function neverStarted(node: ControlPlaneNode, seconds: number, listProblem: string | null): string {
  const ready = node.ready === null ? 'the Node object has no Ready condition' : `the Node object says Ready=${node.ready}`;
  const why = listProblem ? `; listing the pods failed: ${listProblem}` : '';
  return `pod never started: no kubelet acted on it within ${seconds} s (${ready}); is the kubelet on ${node.name} running and registered?${why}`;
}

export async function runNode(node: ControlPlaneNode, apiserver: ApiserverPod | null, ctx: NodeRunContext): Promise<FleetNodeResult> {
  const started = Date.now();
  const plan = planMounts(apiserver);
  let mounts: HostMount[] = plan.mounts;
  const notMounted = [...plan.left];
  const result = (outcome: Pick<FleetNodeResult, 'outcome' | 'reason' | 'evidence' | 'report' | 'pod'>): FleetNodeResult => ({
    cluster: ctx.cluster,
    node: node.name,
    ...outcome,
    mounted: mounts.map((m) => m.hostPath),
    notMounted,
    durationMs: Date.now() - started,
  });
  if (!node.hasNodeObject) {
    return result({
      outcome: 'unknown',
      pod: null,
      reason: `node ${node.name} runs ${node.why[0]?.replace('runs ', '')} but has no Node object: no kubelet there is registered to take a pod`,
      evidence: node.why,
      report: null,
    });
  }
  const deadline = started + ctx.deadlineMs;
  for (let attempt = 0; ; attempt++) {
    // A retried pod gets a new name: the old one may still be going away.
    const name = podName(node.name, attempt === 0 ? ctx.pod.runId : `${ctx.pod.runId}${attempt}`);
    const spec = buildPod(node, mounts, ctx.pod, name);
    const outcome = await runPod(node, spec, name, deadline, ctx);
    if (outcome.kind === 'missing-mount' && Date.now() < deadline) {
      const dropped = mounts.find((m) => m.hostPath === outcome.hostPath);
      if (dropped) {
        mounts = mounts.filter((m) => m !== dropped);
        notMounted.push({
          hostPath: dropped.hostPath,
          reason: `not on the node (kubelet: ${outcome.message.replace(/^.*hostPath type check failed: /, '')}), so not mounted`,
        });
        continue;
      }
    }
    return result(
      outcome.kind === 'checked'
        ? { outcome: 'checked', pod: name, reason: null, evidence: [], report: outcome.report }
        : { outcome: 'unknown', pod: name, reason: outcome.reason, evidence: outcome.evidence, report: null },
    );
  }
}

type PodOutcome =
  | { kind: 'checked'; report: NonNullable<FleetNodeResult['report']> }
  | { kind: 'missing-mount'; hostPath: string; message: string; reason: string; evidence: string[] }
  | { kind: 'unknown'; reason: string; evidence: string[] };

async function runPod(
  node: ControlPlaneNode,
  spec: Record<string, unknown>,
  name: string,
  deadline: number,
  ctx: NodeRunContext,
): Promise<PodOutcome> {
  const { client, poller, pod } = ctx;
  const ns = pod.namespace;
  const created = await createPod(client, ns, spec);
  if (created !== null) return { kind: 'unknown', reason: created, evidence: [] };
  ctx.live.add(name);
  try {
    let last: PodState = { kind: 'pending', detail: null, started: false };
    let seen = false;
    while (Date.now() < deadline) {
      await nextLookOrDeadline(poller, deadline);
      if (Date.now() >= deadline) break;
      const object = poller.pod(name);
      if (object === undefined) {
        if (seen)
          return { kind: 'unknown', reason: `pod ${ns}/${name} disappeared before it finished (deleted by someone else?)`, evidence: [] };
        continue;
      }
      seen = true;
      last = podState(object, poller.events(name));
      if (last.kind === 'finished') {
        const read = await readPodReport(client, { namespace: ns, pod: name, node: node.name }, last.exitCode);
        return read.ok ? { kind: 'checked', report: read.report } : { kind: 'unknown', reason: read.reason, evidence: read.evidence };
      }
      if (last.kind === 'missing-mount') return { ...last, reason: last.message, evidence: [] };
      if (last.kind === 'failed')
        return {
          kind: 'unknown',
          reason: `the pod cannot run (${last.category}): ${last.reason}`,
          evidence: poller.eventsProblem ? [poller.eventsProblem] : [],
        };
    }
    const seconds = Math.round(ctx.deadlineMs / 1000);
    if (last.kind === 'pending' && !last.started)
      return {
        kind: 'unknown',
        reason: neverStarted(node, seconds, poller.listProblem),
        evidence: poller.eventsProblem ? [poller.eventsProblem] : [],
      };
    const detail = last.kind === 'pending' ? last.detail : null;
    return {
      kind: 'unknown',
      reason: `the pod did not finish within the ${seconds} s deadline (last seen: ${detail ?? 'pending'}); raise --deadline`,
      evidence: [],
    };
  } catch (err) {
    if (err instanceof Aborted) return { kind: 'unknown', reason: 'interrupted before the pod finished', evidence: [] };
    throw err;
  } finally {
    if (!ctx.keep) {
      const problem = await deletePod(client, ns, name);
      if (problem === null) ctx.live.delete(name);
    }
  }
}

/** null when created; the reason otherwise. Refusals that hold for every node stop the run. */
async function createPod(client: KubeClient, namespace: string, spec: Record<string, unknown>): Promise<string | null> {
  const need = `create pods in ${namespace}`;
  let res;
  try {
    res = await call(client, need, { method: 'POST', path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, body: spec });
  } catch (err) {
    return err instanceof FactFailure ? err.message : (err as Error).message;
  }
  if (res.status >= 200 && res.status < 300) return null;
  const said = statusMessage(res.body);
  const security = podSecurityRefusal(namespace, said);
  if (security) throw new FleetError(security);
  if (res.status === 403)
    throw new FleetError(
      `RBAC forbids create pods in ${namespace} (403: ${said}): grant "create" on "pods" in namespace ${namespace} (see prisma-audit fleet --print-manifests for the whole Role)`,
    );
  if (res.status === 404) throw new FleetError(`namespace ${namespace} does not exist (404: ${said})`);
  return `the API server refused the pod (${res.status}): ${said}`;
}

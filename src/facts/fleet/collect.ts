// fleet --collect: the reports of Jobs that --print-manifests made and someone applied. Each
// control-plane node's newest Job pod is read like a fleet pod; a node without one says so.
import { getJson } from '../cluster/api.js';
import type { KubeClient } from '../../io/kube-client.js';
import { FactFailure } from '../collector.js';
import { discover, type ClusterRun } from './gather.js';
import { MANIFESTS_RUN } from '../../kube/fleet/manifests.js';
import { NODE_ANNOTATION, RUN_LABEL } from '../../kube/fleet/pod-spec.js';
import { eventsOf, podState } from '../../kube/fleet/pod-status.js';
import { readPodReport } from './pod-report.js';
import type { FleetNodeResult } from '../../model/fleet.js';
import { isObj, type Obj } from '../../parse/json-value.js';

/** The newest Job pod per node (by the node annotation, else spec.nodeName). Pure. */
export function newestByNode(list: unknown): Map<string, Obj> {
  const items = isObj(list) && Array.isArray(list.items) ? list.items.filter(isObj) : [];
  const out = new Map<string, Obj>();
  for (const pod of items) {
    const meta = (pod.metadata ?? {}) as Obj;
    const node = String(((meta.annotations ?? {}) as Obj)[NODE_ANNOTATION] ?? ((pod.spec ?? {}) as Obj).nodeName ?? '');
    const prev = out.get(node);
    const at = (p: Obj) => String(((p.metadata ?? {}) as Obj).creationTimestamp ?? '');
    if (node && (!prev || at(pod) > at(prev))) out.set(node, pod);
  }
  return out;
}

export async function collectOn(client: KubeClient, cluster: string | null, namespace: string): Promise<ClusterRun> {
  try {
    const selector = encodeURIComponent(`${RUN_LABEL}=${MANIFESTS_RUN}`);
    const pods = newestByNode(
      await getJson<unknown>(
        client,
        `list pods in ${namespace}`,
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?labelSelector=${selector}`,
      ),
    );
    const events = await getJson<unknown>(
      client,
      `list events in ${namespace}`,
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
    ).catch(() => null);
    const found = await discover(client).catch(() => null);
    const names = [...new Set([...(found?.nodes.map((n) => n.name) ?? []), ...pods.keys()])].sort();
    const nodes = await Promise.all(names.map((node) => collectNode(client, cluster, namespace, node, pods.get(node) ?? null, events)));
    return { nodes, problem: found?.note ?? null, leftovers: [] };
  } catch (err) {
    if (err instanceof FactFailure) return { nodes: [], problem: err.message, leftovers: [] };
    throw err;
  }
}

async function collectNode(
  client: KubeClient,
  cluster: string | null,
  namespace: string,
  node: string,
  pod: Obj | null,
  events: unknown,
): Promise<FleetNodeResult> {
  const base = { cluster, node, evidence: [] as string[], mounted: [] as string[], notMounted: [], report: null, durationMs: 0 };
  if (!pod)
    return {
      ...base,
      pod: null,
      outcome: 'unknown',
      reason: `no Job pod for node ${node} in ${namespace}: apply the output of --print-manifests (a finished Job is removed after ttlSecondsAfterFinished)`,
    };
  const name = String(((pod.metadata ?? {}) as Obj).name ?? '');
  const state = podState(pod, eventsOf(events, name));
  if (state.kind === 'finished') {
    const read = await readPodReport(client, { namespace, pod: name, node }, state.exitCode);
    return read.ok
      ? { ...base, pod: name, outcome: 'checked', reason: null, report: read.report }
      : { ...base, pod: name, outcome: 'unknown', reason: read.reason, evidence: read.evidence };
  }
  const reason =
    state.kind === 'failed'
      ? `the Job pod cannot run (${state.category}): ${state.reason}`
      : state.kind === 'missing-mount'
        ? `the Job pod cannot start: ${state.message}; print the manifests again (the mounts follow the apiserver pod) or drop that volume`
        : `the Job pod has not finished yet (${state.detail ?? 'not started: no kubelet has acted on it'}); collect again later`;
  return { ...base, pod: name, outcome: 'unknown', reason };
}

// A fleet run on one cluster: find the control-plane nodes, make sure the namespace is there, run
// up to --parallel nodes at a time, each under its own deadline, and delete every pod (and the
// namespace it created) on every way out, an interrupt included.
import { randomBytes } from 'node:crypto';
import { getJson } from '../cluster/api.js';
import type { KubeClient } from '../../io/kube-client.js';
import { apiserverPodsOf } from '../../kube/pods.js';
import type { ApiserverPod } from '../../model/cluster.js';
import { FactFailure } from '../collector.js';
import { asFleetError, FleetError } from './errors.js';
import { ensureNamespace, removeNamespace } from './namespace.js';
import { deletePod, runNode, type NodeRunContext } from './node-run.js';
import { controlPlaneNodes } from '../../kube/fleet/nodes.js';
import { PodPoller } from './poller.js';
import type { ControlPlaneNode, FleetNodeResult } from '../../model/fleet.js';

export interface FleetRunOptions {
  namespace: string;
  image: string;
  parallel: number;
  deadlineMs: number;
  keep: boolean;
  doctorArgs: string[];
  pollMs: number;
  signal: AbortSignal;
  /** Called as each node finishes (progress on a terminal). */
  onNode?: (result: FleetNodeResult, done: number, total: number) => void;
}

export interface ClusterRun {
  nodes: FleetNodeResult[];
  /** Why nothing (or not everything) could run: RBAC, pod security, API down. */
  problem: string | null;
  /** Pods or the namespace that could not be removed, or left on purpose with --keep. */
  leftovers: string[];
}

/** Five lowercase characters: pod names stay short and a run's pods share one label. */
export const newRunId = (): string =>
  BigInt('0x' + randomBytes(4).toString('hex'))
    .toString(36)
    .padStart(5, '0')
    .slice(-5);

/** The nodes, and the apiserver pods when they may be listed (their hostPaths decide the mounts). */
export async function discover(
  client: KubeClient,
): Promise<{ nodes: ControlPlaneNode[]; apiservers: ApiserverPod[] | null; note: string | null }> {
  const nodeList = await getJson<unknown>(client, 'list nodes', '/api/v1/nodes');
  let apiservers: ApiserverPod[] | null = null;
  let note: string | null = null;
  try {
    apiservers = apiserverPodsOf(await getJson<unknown>(client, 'list pods in kube-system', '/api/v1/namespaces/kube-system/pods'));
  } catch (err) {
    if (!(err instanceof FactFailure)) throw err;
    note = `${err.message}: control-plane nodes found by label only, and their mounts are the defaults (grant list pods in kube-system for the apiserver's own hostPaths)`;
  }
  return { nodes: controlPlaneNodes(nodeList, apiservers), apiservers, note };
}

/** Runs `work` over `items`, at most `limit` at a time, results in item order. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

export async function runFleetOn(client: KubeClient, cluster: string | null, opts: FleetRunOptions): Promise<ClusterRun> {
  let found;
  try {
    found = await discover(client);
  } catch (err) {
    const e = asFleetError(err);
    if (e instanceof FleetError) return { nodes: [], problem: e.message, leftovers: [] };
    throw e;
  }
  if (found.nodes.length === 0) return { nodes: [], problem: found.note, leftovers: [] };
  let created: boolean;
  try {
    created = await ensureNamespace(client, opts.namespace);
  } catch (err) {
    const e = asFleetError(err);
    if (e instanceof FleetError) return { nodes: [], problem: e.message, leftovers: [] };
    throw e;
  }
  // A fleet-wide refusal (RBAC, pod security) stops the other lanes too.
  const stop = new AbortController();
  const signal = AbortSignal.any([opts.signal, stop.signal]);
  const runId = newRunId();
  const poller = new PodPoller(client, opts.namespace, runId, opts.pollMs, signal);
  const ctx: NodeRunContext = {
    client,
    poller,
    pod: {
      namespace: opts.namespace,
      image: opts.image,
      runId,
      deadlineSeconds: Math.max(1, Math.ceil(opts.deadlineMs / 1000)),
      doctorArgs: opts.doctorArgs,
    },
    deadlineMs: opts.deadlineMs,
    keep: opts.keep,
    cluster,
    live: new Set(),
  };
  let problem: string | null = found.note;
  let done = 0;
  poller.start();
  let nodes: FleetNodeResult[];
  const leftovers: string[] = [];
  try {
    const byNode = new Map((found.apiservers ?? []).map((p) => [p.node, p]));
    nodes = await pool(found.nodes, opts.parallel, async (node) => {
      if (signal.aborted)
        return skipped(node, cluster, stop.signal.aborted ? (problem ?? 'stopped') : 'interrupted before its pod was created');
      try {
        const r = await runNode(node, byNode.get(node.name) ?? null, ctx);
        opts.onNode?.(r, ++done, found.nodes.length);
        return r;
      } catch (err) {
        if (err instanceof FleetError) {
          problem = err.message;
          stop.abort();
          return skipped(node, cluster, err.message);
        }
        throw err;
      }
    });
  } finally {
    poller.stop();
    // Lanes delete their own pods; any still alive (a lane that failed to delete) is tried again.
    if (opts.keep) leftovers.push(...[...ctx.live].map((n) => `kept (--keep): pod ${opts.namespace}/${n}`));
    else {
      const again = await Promise.all([...ctx.live].map((name) => deletePod(client, opts.namespace, name)));
      leftovers.push(...again.filter((p): p is string => p !== null));
      if (created) {
        const note = await removeNamespace(client, opts.namespace);
        if (note) leftovers.push(note);
      }
    }
  }
  return { nodes, problem, leftovers };
}

function skipped(node: ControlPlaneNode, cluster: string | null, reason: string): FleetNodeResult {
  return {
    cluster,
    node: node.name,
    pod: null,
    outcome: 'unknown',
    reason,
    evidence: [],
    mounted: [],
    notMounted: [],
    report: null,
    durationMs: 0,
  };
}

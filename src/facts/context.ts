// The one gathering context. Doctor, fix, bundle and fix verification each describe what to gather
// in a GatherRequest and get their fact source here, so their contexts (deadlines, --since, cluster
// mode) cannot drift apart.
import type { FactKey, Facts, FactSource } from '../model/facts.js';
import { cancelledBy, memoKubeAccess, type KubeAccess } from '../io/kube-client.js';
import type { ConsoleTarget } from '../kube/console-target.js';
import type { CollectContext, Collector } from './collector.js';
import { factDeadlineMs, liveFacts } from './gather.js';
import { COLLECTORS } from './index.js';

export interface GatherRequest {
  /** The node's filesystem root (a copy of it, for fix verification). */
  root: string;
  /** --manifest, or null for discovery. */
  manifest: string | null;
  /** --kubernetes-version; null: from the image tag. */
  kubernetesVersion?: string | null;
  /** --upgrade-to: judge as that kube-apiserver/kubeadm version would. */
  upgradeTo?: string | null;
  timeoutMs: number;
  offline: boolean;
  now: Date;
  /** --since for the node logs; null or absent: the collector's default. */
  since?: string | null;
  logFiles?: string[];
  /** --fleet-pod: the doctor inside a fleet pod (host commands out of reach, said why). */
  fleetPod?: boolean;
  kube?: KubeAccess | null;
  console?: ConsoleTarget | null;
  /** Cancels the gathering (q, Esc, Ctrl-C). */
  signal?: AbortSignal;
}

export function gatheringContext(req: GatherRequest): CollectContext {
  return {
    root: req.root,
    manifest: req.manifest,
    kubernetesVersion: req.kubernetesVersion ?? null,
    ...(req.upgradeTo ? { upgradeTo: req.upgradeTo } : {}),
    timeoutMs: req.timeoutMs,
    offline: req.offline,
    now: req.now,
    ...(req.since ? { since: req.since } : {}),
    ...(req.logFiles ? { logFiles: req.logFiles } : {}),
    ...(req.fleetPod ? { fleetPod: true } : {}),
    ...(req.kube !== undefined ? { kube: req.kube && req.signal ? cancelledBy(req.kube, req.signal) : req.kube } : {}),
    ...(req.console !== undefined ? { console: req.console } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
  };
}

type CollectorTable = { [K in FactKey]: Collector<K> };

/** The facts of the node the request describes; each gathered once, on first use, under the run's
 * deadline. `collectors` replaces some (fix verification replays facts read from a copy). */
export function gatherNode(req: GatherRequest, collectors: CollectorTable = COLLECTORS): FactSource {
  return liveFacts(gatheringContext(req), collectors, factDeadlineMs(req.timeoutMs));
}

/** Every fact, keyed in the collectors' order (not the order they finish in: a bundle's facts.json
 * must come out the same on every run). For fix planning and bundles. */
export async function gatherAll(source: FactSource): Promise<Partial<Facts>> {
  const keys = Object.keys(COLLECTORS) as FactKey[];
  return Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await source.fact(k)])));
}

/** What the user asked of cluster mode on the command line. */
export interface KubeRequest {
  kubeconfig: string | null;
  context: string | null;
  /** --cluster: use the default kubeconfig rules even without KUBECONFIG. */
  cluster: boolean;
  /** --canary [NAMESPACE]: undefined when absent, null without a namespace. */
  canary: string | null | undefined;
  /** --sample SECONDS: window over which the audit counters are sampled (delivery capacity). */
  sampleSeconds?: number;
}

/** Cluster mode is on only when asked for: a kubeconfig, a context, KUBECONFIG, --cluster or --canary. */
export function kubeAccess(opts: KubeRequest, env: NodeJS.ProcessEnv, timeoutMs: number): KubeAccess | null {
  const asked =
    opts.kubeconfig !== null ||
    opts.context !== null ||
    Boolean(env.KUBECONFIG) ||
    opts.cluster ||
    opts.canary !== undefined ||
    opts.sampleSeconds !== undefined;
  if (!asked) return null;
  const target = { kubeconfig: opts.kubeconfig, context: opts.context, timeoutMs };
  // client-node is large: load it only when cluster mode runs.
  return memoKubeAccess(
    async () => (await import('../io/kube.js')).openKube(target, env),
    opts.canary,
    opts.sampleSeconds ? opts.sampleSeconds * 1000 : undefined,
  );
}

// The collector contract: one collector per fact, async, never throws through the engine.
import type { FactError } from '../model/report.js';
import type { FactKey, Facts, FactValue } from '../model/facts.js';
import type { KubeAccess } from '../io/kube-client.js';
import type { ConsoleTarget } from '../kube/console-target.js';

export interface CollectContext {
  /** The node's filesystem root; every host path is read under it. */
  root: string;
  /** --manifest: host path of the apiserver configuration, or null for discovery. */
  manifest: string | null;
  /** --kubernetes-version, when the user knows better than the image tag. */
  kubernetesVersion: string | null;
  /** --upgrade-to: judge as this kube-apiserver/kubeadm version would. */
  upgradeTo?: string | null;
  timeoutMs: number;
  offline: boolean;
  now: Date;
  /** Cluster mode: how to reach the Kubernetes API; absent or null when it was not asked for. */
  kube?: KubeAccess | null;
  /** --console: the Prisma console whose settings are read; absent or null when not asked for. */
  console?: ConsoleTarget | null;
  /** --since: how far back to read the kubelet journal (default 24h). */
  since?: string;
  /** --log-file (repeatable): saved logs to scan besides the node's own. */
  logFiles?: string[];
  /** Cancels the run (q, Esc, Ctrl-C): collectors hand it to child processes, sockets and reads. */
  signal?: AbortSignal;
  /** --fleet-pod: the node is mounted at root inside a fleet pod, which runs no host commands. */
  fleetPod?: boolean;
}

/** A known failure to gather a fact; carries the reason that decides skip vs unknown. */
export class FactFailure extends Error {
  constructor(readonly error: FactError) {
    super(error.message);
  }
}

export function factFailure(reason: FactError['reason'], message: string, hint?: string, details?: string[]): FactFailure {
  return new FactFailure({ reason, message, ...(hint ? { hint } : {}), ...(details ? { details } : {}) });
}

export interface DepReader {
  /** Awaits another fact; a failed dependency fails this fact with the same error. */
  need<K extends FactKey>(key: K): Promise<FactValue<K>>;
  /** Awaits another fact without failing on its error (for facts that merely enrich this one). */
  fact<K extends FactKey>(key: K): Promise<Facts[K]>;
}

export interface Collector<K extends FactKey> {
  key: K;
  deps: FactKey[];
  /** Time the collector waits on purpose (the --canary batch wait), added to its deadline. */
  waitsMs?: (ctx: CollectContext) => number;
  collect(ctx: CollectContext, deps: DepReader): Promise<FactValue<K>>;
}

/** A collector that hands back a fact gathered elsewhere (from a verified copy of the node), so
 * the collectors that depend on it run on it unchanged. */
export function replayed<K extends FactKey>(key: K, fact: Facts[K]): Collector<K> {
  return {
    key,
    deps: [],
    async collect() {
      if (!fact.ok) throw new FactFailure(fact.error);
      return fact.value as FactValue<K>;
    },
  };
}

/** The fact-error reason for a filesystem error code. */
export function reasonForCode(code: string): FactError['reason'] {
  if (code === 'EACCES' || code === 'EPERM') return 'permission';
  if (code === 'EFBIG') return 'too-large';
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'not-found';
  return 'io';
}

export const RUN_AS_ROOT = 'Run prisma-audit as root (sudo): these files are readable by root only.';

// `prisma-audit bundle` options. Kept apart from args.ts so the doctor's parser stays small; args.ts
// dispatches here.
import { parse, timeoutMs, UsageError } from './usage.js';
import { parseDuration, parseSize } from '../bundle/units.js';
import { CLUSTER_ARG_OPTIONS } from './cluster-options.js';

export interface BundleOptions {
  root: string;
  manifest: string | null;
  /** null: ./prisma-audit-bundle-<YYYYmmdd-HHMMSS>.tar.gz from the collection time. */
  out: string | null;
  /** --since as given (the node-log collector reads the same window), and in milliseconds. */
  since: string | null;
  sinceMs: number | null;
  /** --timeout: the bound of each network step while gathering. */
  timeoutMs: number;
  /** --offline: no network step (no TLS chain, no probe); those facts say so. */
  offline: boolean;
  maxBytes: number;
  includeSuffix: boolean;
  /** Hidden (tests, reproducible bundles): the collection time instead of now. */
  collectedAt: Date | null;
  /** Cluster mode, read-only: the API's facts join the node's (no canary: a bundle writes nothing). */
  kube: { kubeconfig: string | null; context: string | null; cluster: boolean };
}

/** 50 MiB: room for the configuration, facts and tens of MB of recent apiserver log. */
export const DEFAULT_MAX_BYTES = 50 * 1024 ** 2;

export const BUNDLE_OPTIONS = {
  root: { type: 'string' },
  manifest: { type: 'string' },
  out: { type: 'string' },
  since: { type: 'string' },
  timeout: { type: 'string' },
  offline: { type: 'boolean' },
  'max-size': { type: 'string' },
  'include-suffix': { type: 'boolean' },
  'collected-at': { type: 'string' },
  kubeconfig: CLUSTER_ARG_OPTIONS.kubeconfig,
  context: CLUSTER_ARG_OPTIONS.context,
  cluster: CLUSTER_ARG_OPTIONS.cluster,
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseBundleCommand(rest: string[]): { name: 'bundle'; options: BundleOptions } | { name: 'help'; topic: string } {
  const { values, positionals } = parse(rest, BUNDLE_OPTIONS);
  if (values.help) return { name: 'help', topic: 'bundle' };
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.root === '') throw new UsageError('--root needs a directory');
  if (values.out === '') throw new UsageError('--out needs a file name');
  if (values.kubeconfig === '') throw new UsageError('--kubeconfig needs a file');
  const sinceMs = values.since === undefined ? null : parseDuration(values.since);
  if (sinceMs === null && values.since !== undefined)
    throw new UsageError(`--since takes a duration like 30m, 24h or 7d, not "${values.since}"`);
  const maxBytes = values['max-size'] === undefined ? DEFAULT_MAX_BYTES : parseSize(values['max-size']);
  if (maxBytes === null || maxBytes <= 0) throw new UsageError(`--max-size takes a size like 500K or 5M, not "${values['max-size']}"`);
  const collectedAt = values['collected-at'] === undefined ? null : new Date(values['collected-at']);
  if (collectedAt && Number.isNaN(collectedAt.getTime()))
    throw new UsageError(`--collected-at takes an ISO 8601 time, not "${values['collected-at']}"`);
  return {
    name: 'bundle',
    options: {
      root: values.root ?? '/',
      manifest: values.manifest ?? null,
      out: values.out ?? null,
      since: values.since ?? null,
      sinceMs,
      timeoutMs: timeoutMs(values.timeout),
      offline: Boolean(values.offline),
      maxBytes,
      includeSuffix: Boolean(values['include-suffix']),
      collectedAt,
      kube: { kubeconfig: values.kubeconfig || null, context: values.context ?? null, cluster: Boolean(values.cluster) },
    },
  };
}

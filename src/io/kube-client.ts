// The seam between cluster collectors and the Kubernetes API: a minimal request interface that
// src/io/kube.ts implements with @kubernetes/client-node, and that tests replace with a fake.

export interface KubeRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Absolute API path, e.g. /api/v1/namespaces/kube-system/pods?labelSelector=... */
  path: string;
  body?: unknown;
  /** Stop reading after this many bytes (logs, /metrics); the response is marked truncated. */
  maxBytes?: number;
  /** The run's cancel (q, Esc, Ctrl-C): aborts the request and destroys its socket. */
  signal?: AbortSignal;
}

export interface KubeResponse {
  status: number;
  body: string;
  truncated: boolean;
}

export interface KubeClient {
  /** The API server URL from the kubeconfig (for managed-cluster detection and evidence). */
  server: string;
  context: string | null;
  /** Where the kubeconfig came from, for evidence ("--kubeconfig /x", "KUBECONFIG", "default"). */
  source: string;
  /** Every call carries the run's --timeout deadline; a late answer rejects with KubeTimeout. */
  request(req: KubeRequest): Promise<KubeResponse>;
}

export class KubeTimeout extends Error {}

/** No usable kubeconfig: cluster checks are `skip` with this reason. */
export class NoKubeconfig extends Error {}

/** What the user asked for on the command line; without --kubeconfig the default rules apply
 * (KUBECONFIG, ~/.kube/config, in-cluster). */
export interface KubeTarget {
  kubeconfig: string | null;
  context: string | null;
  timeoutMs: number;
}

/** Handed to collectors through the collect context: connects once, on first use. */
export interface KubeAccess {
  client(): Promise<KubeClient>;
  /** --canary: undefined when not asked; null when asked without a namespace (use twistlock). */
  canaryNamespace: string | null | undefined;
  /** --sample SECONDS, in ms: read the audit counters over this window (delivery capacity). */
  sampleMs?: number;
}

export function memoKubeAccess(
  connect: () => Promise<KubeClient>,
  canaryNamespace: string | null | undefined,
  sampleMs?: number,
): KubeAccess {
  let pending: Promise<KubeClient> | null = null;
  return {
    canaryNamespace,
    ...(sampleMs ? { sampleMs } : {}),
    client: () => (pending ??= connect()),
  };
}

/** The same access, every request of which carries the run's cancel: collectors call the client
 * as before, and an abort still reaches their sockets. */
export function cancelledBy(access: KubeAccess, signal: AbortSignal): KubeAccess {
  return {
    ...access,
    async client() {
      const client = await access.client();
      return { ...client, request: (req) => client.request({ ...req, signal }) };
    },
  };
}

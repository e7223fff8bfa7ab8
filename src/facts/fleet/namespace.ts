// The fleet's namespace: used as it is when it exists, created (and later removed) when it does
// not. A namespace whose PodSecurity level forbids the pod is refused up front with the remedy,
// rather than left to fail pod by pod.
import { call, refusal, statusMessage } from '../cluster/api.js';
import type { KubeClient } from '../../io/kube-client.js';
import { FleetError } from './errors.js';
import { MANAGED_BY } from '../../kube/fleet/pod-spec.js';
import { isObj } from '../../parse/json-value.js';

/** The PodSecurity levels that forbid host namespaces and hostPath volumes. */
const FORBIDDING = new Set(['baseline', 'restricted']);

/** Why the namespace cannot hold the fleet pod (enforced PodSecurity level, being deleted), or null. Pure. */
export function namespaceProblem(ns: unknown, name: string): string | null {
  const meta = isObj(ns) && isObj(ns.metadata) ? ns.metadata : {};
  const labels = isObj(meta.labels) ? meta.labels : {};
  const level = labels['pod-security.kubernetes.io/enforce'];
  if (typeof level === 'string' && FORBIDDING.has(level)) {
    return (
      `namespace ${name} enforces the PodSecurity "${level}" level, which forbids the fleet pod (it needs hostNetwork, read-only ` +
      `hostPath volumes and root with DAC_READ_SEARCH). Label it privileged: kubectl label namespace ${name} ` +
      'pod-security.kubernetes.io/enforce=privileged --overwrite — or pass --namespace NAME to let fleet create a namespace of its own'
    );
  }
  const status = isObj(ns) && isObj(ns.status) ? ns.status : {};
  if (status.phase === 'Terminating') {
    return `namespace ${name} is being deleted (Terminating) and accepts no new pods; wait until it is gone, or pass --namespace NAME`;
  }
  return null;
}

/** Makes sure the namespace exists; true when this run created it (and so removes it at the end). */
export async function ensureNamespace(client: KubeClient, name: string): Promise<boolean> {
  const path = `/api/v1/namespaces/${encodeURIComponent(name)}`;
  const got = await call(client, `get namespace ${name}`, { path });
  if (got.status === 200) {
    const problem = namespaceProblem(JSON.parse(got.body), name);
    if (problem) throw new FleetError(problem);
    return false;
  }
  // Without "get namespaces" the namespace may well exist: go on, and let pod creation tell.
  if (got.status === 403) return false;
  if (got.status !== 404) throw new FleetError(refusal(client, `get namespace ${name}`, got).message);
  const need = `create namespace ${name}`;
  const created = await call(client, need, {
    method: 'POST',
    path: '/api/v1/namespaces',
    body: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { ...MANAGED_BY, 'pod-security.kubernetes.io/enforce': 'privileged' } },
    },
  });
  if (created.status === 409) return false;
  if (created.status === 403) {
    throw new FleetError(
      `namespace ${name} does not exist and RBAC forbids creating it (403: ${statusMessage(created.body)}): create it (kubectl create namespace ${name}) or pass --namespace with one that exists`,
    );
  }
  if (created.status < 200 || created.status > 299) throw new FleetError(refusal(client, need, created).message);
  return true;
}

/** Removes the namespace this run created; without a controller-manager it stays Terminating, which
 * is said, not waited for. Returns a note for the report, or null. */
export async function removeNamespace(client: KubeClient, name: string): Promise<string | null> {
  const res = await call(client, `delete namespace ${name}`, {
    method: 'DELETE',
    path: `/api/v1/namespaces/${encodeURIComponent(name)}`,
  }).catch((err: Error) => ({ status: 0, body: err.message, truncated: false }));
  if (res.status >= 200 && res.status < 300) return null;
  return `namespace ${name}, created by this run, could not be removed (${res.status === 0 ? res.body : `${res.status}: ${statusMessage(res.body)}`}): kubectl delete namespace ${name}`;
}

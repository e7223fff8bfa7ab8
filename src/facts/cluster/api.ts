// Turns Kubernetes API answers into data or a typed FactFailure. A refusal names the exact verb and
// resource the credentials lack, so `unknown` tells the user what to grant.
import { FactFailure, factFailure } from '../collector.js';
import { KubeTimeout, NoKubeconfig, type KubeAccess, type KubeClient, type KubeRequest, type KubeResponse } from '../../io/kube-client.js';

/** The collect context's KubeAccess, or `skip` when cluster mode is off, --offline was given or
 * there is no kubeconfig. */
export async function kubeClient({ kube, offline }: { kube?: KubeAccess | null; offline: boolean }): Promise<KubeClient> {
  if (kube && offline)
    throw factFailure('not-applicable', 'cluster checks skipped: --offline was given (the Kubernetes API is not contacted)');
  if (!kube) {
    throw factFailure('not-applicable', 'cluster mode is off (pass --kubeconfig PATH, --context NAME, set KUBECONFIG, or --cluster)');
  }
  try {
    return await kube.client();
  } catch (err) {
    if (err instanceof NoKubeconfig)
      throw factFailure(
        'not-applicable',
        `cluster checks skipped: ${err.message}`,
        'Pass --kubeconfig PATH (and --context NAME) to check the cluster.',
      );
    throw err;
  }
}

/** How a refused or failed call is reported: "list pods in kube-system", "get nodes" ... */
export type Need = string;

export async function call(client: KubeClient, need: Need, req: KubeRequest): Promise<KubeResponse> {
  try {
    return await client.request(req);
  } catch (err) {
    if (err instanceof KubeTimeout)
      throw factFailure('timeout', `${need}: ${err.message}`, 'Raise --timeout, or check that the API server is reachable from here.');
    throw factFailure('io', `${need}: cannot reach the API server ${client.server}: ${(err as Error).message}`);
  }
}

export function refusal(client: KubeClient, need: Need, res: KubeResponse): FactFailure {
  if (res.status === 401) {
    return factFailure(
      'permission',
      `the API server ${client.server} rejected the credentials (401 Unauthorized) when trying to ${need}`,
      'Refresh the kubeconfig credentials (token expired?).',
    );
  }
  if (res.status === 403) {
    return factFailure(
      'permission',
      `RBAC forbids ${need} (403 Forbidden)`,
      `Grant "${need}" to the user of ${client.source} (a Role or ClusterRole and its binding), or use a kubeconfig that has it.`,
    );
  }
  return factFailure('io', `${need}: the API server answered ${res.status}: ${statusMessage(res.body)}`);
}

/** The message of a Kubernetes Status answer, or the start of any other body. */
export function statusMessage(body: string): string {
  try {
    const status = JSON.parse(body) as { message?: unknown };
    if (typeof status.message === 'string') return status.message;
  } catch {
    // not a Status object: show the start of the text
  }
  return body.slice(0, 200);
}

/** GET a JSON object; null on 404 when `missingOk`, FactFailure for anything else but 2xx. */
export async function getJson<T>(client: KubeClient, need: Need, path: string, missingOk = false): Promise<T | null> {
  const res = await call(client, need, { path });
  if (res.status === 404 && missingOk) return null;
  if (res.status < 200 || res.status > 299) throw refusal(client, need, res);
  if (res.truncated) throw factFailure('too-large', `${need}: the answer is larger than the read limit`);
  try {
    return JSON.parse(res.body) as T;
  } catch {
    throw factFailure('parse', `${need}: the answer is not JSON`);
  }
}

// managedControlPlane: gathers the signals of a managed or operator-run control plane.
import { FactFailure, factFailure, type Collector } from '../collector.js';
import type { KubeClient } from '../../io/kube-client.js';
import { getJson, kubeClient } from './api.js';
import { detectManaged } from '../../kube/managed.js';

/** A refused optional signal is recorded as missing, not fatal: the others may still decide. */
async function optional<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof FactFailure && err.error.reason === 'permission') return null;
    throw err;
  }
}

async function nodeLabels(client: KubeClient): Promise<Record<string, string>[]> {
  // A handful of nodes is enough: managed node pools label every node.
  const list = await getJson<{ items?: { metadata?: { labels?: Record<string, string> } }[] }>(
    client,
    'list nodes',
    '/api/v1/nodes?limit=20',
  );
  return (list?.items ?? []).map((n) => n.metadata?.labels ?? {});
}

async function apiGroups(client: KubeClient): Promise<string[]> {
  const groups = await getJson<{ groups?: { name?: string }[] }>(client, 'get the non-resource URL /apis', '/apis');
  return (groups?.groups ?? []).flatMap((g) => (g.name ? [g.name] : []));
}

export const managedControlPlaneCollector: Collector<'managedControlPlane'> = {
  key: 'managedControlPlane',
  deps: ['kubeApi', 'clusterApiservers'],
  async collect(ctx, deps) {
    const client = await kubeClient(ctx);
    // Concurrently: the node checks wait on this fact in cluster mode, within their own deadline.
    const [api, pods] = await Promise.all([deps.fact('kubeApi'), deps.fact('clusterApiservers')]);
    if (!api.ok) throw factFailure(api.error.reason, api.error.message, api.error.hint);
    const [labels, groups] = await Promise.all([optional(() => nodeLabels(client)), optional(() => apiGroups(client))]);
    return detectManaged({
      server: api.value.server,
      gitVersion: api.value.gitVersion,
      nodeLabels: labels,
      apiGroups: groups,
      apiserverPods: pods.ok ? pods.value.pods.length : null,
    });
  },
};

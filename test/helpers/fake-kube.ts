// An in-memory Kubernetes API for fleet-mode tests: nodes, pods, events and logs, with a `kubelet`
// hook deciding what happens to each pod. Only the requests fleet mode sends are understood; the
// real-apiserver suite covers the real thing.
import type { KubeClient, KubeRequest, KubeResponse } from '../../src/io/kube-client.js';

type Obj = Record<string, any>;

export interface FakeCluster extends KubeClient {
  pods: Map<string, Obj>;
  events: Obj[];
  logs: Map<string, string>;
  namespaces: Map<string, Obj>;
  requests: KubeRequest[];
  /** Deleted pod names, in order. */
  deleted: string[];
}

const json = (status: number, body: unknown): KubeResponse => ({ status, body: JSON.stringify(body), truncated: false });
const notFound = (what: string) => json(404, { kind: 'Status', message: `${what} not found` });

export function fakeCluster(opts: {
  nodes: Obj[];
  apiservers?: Obj[];
  /** Called on every pod list: may change pod status, add events and logs. */
  kubelet?: (pod: Obj, cluster: FakeCluster) => void;
  /** Overrides for a request (RBAC refusals, kubelet errors on log). */
  answer?: (req: KubeRequest) => KubeResponse | undefined;
}): FakeCluster {
  const cluster: FakeCluster = {
    server: 'https://10.0.0.1:6443',
    context: 'fake',
    source: '--kubeconfig fake',
    pods: new Map(),
    events: [],
    logs: new Map(),
    namespaces: new Map(),
    requests: [],
    deleted: [],
    async request(req) {
      cluster.requests.push(req);
      const override = opts.answer?.(req);
      if (override) return override;
      const url = new URL(req.path, 'https://x');
      const parts = url.pathname.split('/').filter(Boolean);
      const method = req.method ?? 'GET';
      if (url.pathname === '/api/v1/nodes') return json(200, { items: opts.nodes });
      if (url.pathname === '/api/v1/namespaces/kube-system/pods') return json(200, { items: opts.apiservers ?? [] });
      if (parts.length === 4 && parts[2] === 'namespaces') {
        const ns = cluster.namespaces.get(parts[3]!);
        if (method === 'DELETE') return cluster.namespaces.delete(parts[3]!) ? json(200, {}) : notFound('namespace');
        return ns ? json(200, ns) : notFound(`namespaces "${parts[3]}"`);
      }
      if (url.pathname === '/api/v1/namespaces' && method === 'POST') {
        const body = req.body as Obj;
        cluster.namespaces.set(body.metadata.name, body);
        return json(201, body);
      }
      if (parts[4] === 'pods' && parts.length === 5 && method === 'POST') {
        const body = structuredClone(req.body as Obj);
        body.status = { phase: 'Pending' };
        cluster.pods.set(body.metadata.name, body);
        return json(201, body);
      }
      if (parts[4] === 'pods' && parts.length === 5) {
        for (const pod of cluster.pods.values()) opts.kubelet?.(pod, cluster);
        const selector = url.searchParams.get('labelSelector');
        const [k, v] = selector ? selector.split('=') : [];
        return json(200, { items: [...cluster.pods.values()].filter((p) => !k || p.metadata.labels?.[k!] === v) });
      }
      if (parts[4] === 'events') return json(200, { items: cluster.events });
      if (parts[4] === 'pods' && parts.length === 6 && method === 'DELETE') {
        cluster.deleted.push(parts[5]!);
        return cluster.pods.delete(parts[5]!) ? json(200, {}) : notFound(`pods "${parts[5]}"`);
      }
      if (parts[4] === 'pods' && parts[6] === 'log') {
        const log = cluster.logs.get(parts[5]!);
        return log === undefined ? notFound(`pods "${parts[5]}"`) : { status: 200, body: log, truncated: false };
      }
      return notFound(req.path);
    },
  };
  return cluster;
}

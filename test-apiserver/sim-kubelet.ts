// Simulated kubelets for fleet mode at scale, against the real kube-apiserver: Node objects whose
// status points the API server at one HTTPS server on 127.0.0.1 (as a registered kubelet's does),
// a loop that moves each fleet pod to Succeeded the way a kubelet reports a finished container, and
// the kubelet's /containerLogs endpoint, which the API server proxies pods/log to. What they print is
// a real doctor's framed report. Per-node behaviour lets a test make one kubelet refuse (401) and
// another be down (no address served: connection refused).
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { makeChain } from '../test/helpers/pki.js';

const insecure = new Agent({ connect: { rejectUnauthorized: false }, connections: 16 });

export type SimBehaviour = 'ok' | 'refuse' | 'down';

export interface SimKubelets {
  port: number;
  /** Pods moved to Succeeded so far. */
  finished: number;
  stop(): Promise<void>;
}

export async function startSimKubelets(
  apiUrl: string,
  token: string,
  nodes: { name: string; behaviour: SimBehaviour }[],
  log: string,
): Promise<SimKubelets> {
  const headers = { authorization: `Bearer ${token}` };
  const api = async (method: 'GET' | 'PATCH', path: string, body?: unknown) => {
    const res = await request(`${apiUrl}${path}`, {
      method,
      dispatcher: insecure,
      headers: { ...headers, 'content-type': 'application/merge-patch+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  const behaviour = new Map(nodes.map((n) => [n.name, n.behaviour]));
  const chain = makeChain({ name: 'Kubelet' });
  const server = createServer({ cert: chain.leaf.cert + chain.intermediate.cert, key: chain.leaf.key.privateKeyPem }, (req, res) => {
    // /containerLogs/<namespace>/<pod>/<container>: the pod name tells the node (via the API's list).
    const m = /^\/containerLogs\/([^/]+)\/([^/?]+)\//.exec(req.url ?? '');
    const node = m ? podNodes.get(m[2]!) : undefined;
    if (!m || !node) return void res.writeHead(404).end('not found');
    if (behaviour.get(node) === 'refuse') return void res.writeHead(401).end('Unauthorized');
    res.writeHead(200, { 'content-type': 'text/plain' }).end(log);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const podNodes = new Map<string, string>();
  // A node that is "down" publishes a port nothing listens on.
  const closed = await new Promise<number>((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const p = (probe.address() as AddressInfo).port;
      probe.close(() => resolve(p));
    });
  });
  for (let i = 0; i < nodes.length; i += 20) {
    await Promise.all(
      nodes.slice(i, i + 20).map((n) =>
        api('PATCH', `/api/v1/nodes/${n.name}/status`, {
          status: {
            addresses: [
              { type: 'InternalIP', address: '127.0.0.1' },
              { type: 'Hostname', address: n.name },
            ],
            daemonEndpoints: { kubeletEndpoint: { Port: n.behaviour === 'down' ? closed : port } },
            conditions: [
              {
                type: 'Ready',
                status: n.behaviour === 'down' ? 'Unknown' : 'True',
                reason: 'Simulated',
                lastHeartbeatTime: new Date().toISOString(),
                lastTransitionTime: new Date().toISOString(),
              },
            ],
          },
        }),
      ),
    );
  }
  const sim: SimKubelets = { port, finished: 0, stop: async () => {} };
  let running = true;
  const loop = (async () => {
    while (running) {
      const list = await api('GET', '/api/v1/pods?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dprisma-audit').catch(() => ({
        items: [],
      }));
      // A "down" kubelet finished its pod before it went down: its log cannot be fetched.
      const pending = (list.items as any[]).filter((p) => p.status?.phase === 'Pending' && behaviour.has(p.spec.nodeName));
      await Promise.all(
        pending.map(async (p) => {
          podNodes.set(p.metadata.name, p.spec.nodeName);
          const now = new Date().toISOString();
          await api('PATCH', `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}/status`, {
            status: {
              phase: 'Succeeded',
              containerStatuses: [
                {
                  name: 'doctor',
                  image: p.spec.containers[0].image,
                  imageID: '',
                  ready: false,
                  restartCount: 0,
                  state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } },
                },
              ],
            },
          }).then(
            () => sim.finished++,
            () => undefined,
          );
        }),
      );
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  sim.stop = async () => {
    running = false;
    await loop;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return sim;
}

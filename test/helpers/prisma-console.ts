// A loopback HTTPS stand-in for the Prisma Cloud console (test PKI: root -> intermediate -> leaf): GET /api/v1/settings/kubernetes-audit
// with Bearer auth, and audit batches POSTed to its webhook URL, under an optional SaaS tenant
// prefix. It records every request it is sent.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeChain } from './pki.js';

export const GOOD_TOKEN = 'console-token-d4e5f6a7b8';
export const EMPTY_TOKEN = 'console-token-empty-settings';
export const SUFFIX = 'Rov4TLMx1UiaJuP99OyulwQVUT0=';

export interface FakeConsole {
  url: string;
  /** PEM of the root CA a client must trust (--console-ca). */
  caPem: string;
  requests: { method: string; url: string }[];
  close(): Promise<void>;
}

/** `prefix` is the SaaS tenant segment ('' for a self-hosted console); /hang never answers. */
export async function startFakeConsole(prefix = ''): Promise<FakeConsole> {
  const chain = makeChain({ name: 'Console' });
  const requests: FakeConsole['requests'] = [];
  const server: Server = createServer(
    { cert: chain.leaf.cert + chain.intermediate.cert, key: chain.leaf.key.privateKeyPem },
    (req, res) => {
      requests.push({ method: req.method ?? '', url: req.url ?? '' });
      if (req.url?.startsWith('/hang')) return;
      // Audit batches are accepted at the current webhook URL only, as the console does.
      if (req.method === 'POST' && req.url?.split('?')[0] === `${prefix}/api/v1/kubernetes/webhook/${SUFFIX}`)
        return void req.resume().on('end', () => res.writeHead(200).end());
      if (req.method !== 'GET' || req.url !== `${prefix}/api/v1/settings/kubernetes-audit`) return void res.writeHead(404).end();
      const auth = req.headers.authorization;
      if (auth !== `Bearer ${GOOD_TOKEN}` && auth !== `Bearer ${EMPTY_TOKEN}`) return void res.writeHead(401).end('Unauthorized');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ webhookUrlSuffix: auth === `Bearer ${GOOD_TOKEN}` ? SUFFIX : '', lastPollingTime: null }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}${prefix}`,
    caPem: chain.root.cert,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

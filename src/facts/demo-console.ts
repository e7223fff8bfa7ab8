// The bundled demo node's Prisma console: a real HTTPS server on loopback, so `--demo` shows the live
// TLS and reachability checks at work. Its chain is issued at start-up, in memory: no private key ships
// with the package or touches the disk. The demo node's webhook kubeconfig pins another CA (the one
// from "before the console was reinstalled"), so webhook-tls-chain shows an unknown authority. It is
// part of the node `--demo` gathers from, so it sits with the collectors rather than in io/.
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export const DEMO_CONSOLE_PORT = 18083;

export interface DemoConsole {
  /** False when the port was taken: the demo then shows what the checks say about that. */
  listening: boolean;
  port: number;
  /** The CA that issued the console's certificate (PEM): not sent by the console, as is common. */
  caPem: string;
  close(): Promise<void>;
}

/** A CA and a serverAuth leaf for 127.0.0.1 and localhost, as a freshly installed console has. */
export async function demoConsoleChain(): Promise<{ caPem: string; certPem: string; keyPem: string }> {
  // node-forge loads only for the demo.
  const { issue, newKeyPairAsync } = await import('../tls/issue.js');
  const [caKey, leafKey] = await Promise.all([newKeyPairAsync(2048), newKeyPairAsync(2048)]);
  const ca = issue({ commonName: 'Demo Prisma Console CA', isCA: true }, null, caKey);
  const leaf = issue({ commonName: 'demo-console', dnsNames: ['localhost'], ips: ['127.0.0.1'], extKeyUsage: ['serverAuth'] }, ca, leafKey);
  return { caPem: ca.cert, certPem: leaf.cert, keyPem: leafKey.privateKeyPem };
}

/** On the port the demo node's webhook kubeconfig names, or another (0: any free one). */
export async function startDemoConsole(port = DEMO_CONSOLE_PORT): Promise<DemoConsole> {
  const chain = await demoConsoleChain();
  const server = https.createServer({ cert: chain.certPem, key: chain.keyPem }, (req, res) => {
    // Like the Prisma console: audit batches are accepted at the webhook path, nothing else.
    const ok = req.method === 'POST' && (req.url ?? '').startsWith('/api/v1/kubernetes/webhook/');
    req.resume();
    res.writeHead(ok ? 200 : 404).end();
  });
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  return {
    listening,
    port: listening ? (server.address() as AddressInfo).port : port,
    caPem: chain.caPem,
    close: () => new Promise((resolve) => (listening ? server.close(() => resolve()) : resolve())),
  };
}

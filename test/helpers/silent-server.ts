// Servers on 127.0.0.1 that accept and never answer, for the cancel tests: a TCP port, where a TLS
// handshake waits, and a TLS server, where the handshake completes and the HTTP request waits. A
// doctor run against one waits on its probe until --timeout; only the run's cancel cuts it short.
import { promises as fs } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { copyRoot } from './node-root.js';
import { makeChain } from './pki.js';

export interface SilentServer {
  port: number;
  /** The root certificate (PEM) of the TLS server's chain; empty for a TCP server. */
  ca: string;
  /** The first connection on which the client has sent at least `bytes` bytes (after the TLS
   * handshake, on a TLS server). */
  spoken: Promise<Socket>;
  /** When that connection closed (performance.now()). */
  closed: Promise<number>;
  close(): void;
}

export async function silentServer(tls: boolean, bytes = 1): Promise<SilentServer> {
  let heard: (s: Socket) => void = () => {};
  const spoken = new Promise<Socket>((resolve) => (heard = resolve));
  const held = new Set<Socket>();
  const hold = (s: Socket) => {
    held.add(s);
    s.on('error', () => {});
    let got = 0;
    s.on('data', (d: Buffer) => (got += d.length) >= bytes && heard(s));
  };
  const chain = tls ? makeChain() : null;
  const server: Server = chain
    ? createTlsServer({ cert: chain.leaf.cert + chain.intermediate.cert, key: chain.leaf.key.privateKeyPem }, hold)
    : createTcpServer(hold);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    ca: chain?.root.cert ?? '',
    spoken,
    closed: spoken.then((s) => new Promise<number>((resolve) => s.once('close', () => resolve(performance.now())))),
    close() {
      held.forEach((s) => s.destroy());
      server.close();
    },
  };
}

/** Where a doctor run waits: on the TLS handshake, or on the answer to its POST. */
export type Stall = 'handshake' | 'post';

/** A copy of the healthy kubeadm node whose webhook is a silent server, and that server; the run is
 * waiting on it once `spoken` settles. */
export async function stalledWebhook(stall: Stall): Promise<{ root: string; server: SilentServer }> {
  // The POST's first line; the probe's handshake-only connection says nothing after its handshake.
  const server = await silentServer(stall === 'post', stall === 'post' ? 'POST '.length : 1);
  const root = await copyRoot('fixtures/scenarios/kubeadm-healthy/root');
  const kubeconfig = path.join(root, 'etc/kubernetes/audit/audit-webhook.yaml');
  await fs.writeFile(kubeconfig, (await fs.readFile(kubeconfig, 'utf8')).replace('127.0.0.1:18084', `127.0.0.1:${server.port}`));
  return { root, server };
}

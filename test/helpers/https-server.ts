// Real servers on 127.0.0.1 for the probe and check tests: an HTTPS webhook receiver that serves a
// chosen chain and records what was POSTed, a plain HTTP one, a TCP port that accepts and never
// speaks, and a port that refuses.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface Received {
  /** The SNI name the client sent (HTTPS only; false when it sent none, undefined over plain HTTP). */
  sni: string | false | undefined;
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

export interface Receiver {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

export interface ReceiverOptions {
  status?: number;
  body?: string;
  /** Read the request, then never answer it. */
  hang?: boolean;
  /** Let OpenSSL serve a certificate with a weak (SHA-1) signature. */
  weakSignatures?: boolean;
}

function handler(received: Received[], opts: ReceiverOptions) {
  return (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const sni = 'servername' in req.socket ? ((req.socket as TLSSocket).servername ?? false) : undefined;
      received.push({ sni, method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], body });
      if (opts.hang) return;
      res.writeHead(opts.status ?? 200, { 'content-type': 'application/json' });
      res.end(opts.body ?? '');
    });
  };
}

async function listen(server: Server | ReturnType<typeof createTcpServer>, sockets: Set<Socket>): Promise<number> {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function started(server: Server | ReturnType<typeof createTcpServer>, received: Received[] = []): Promise<Receiver> {
  const sockets = new Set<Socket>();
  const port = await listen(server, sockets);
  return {
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** HTTPS receiver presenting `chain` (PEMs, leaf first, exactly as given). */
export function httpsReceiver(chain: string[], key: string, opts: ReceiverOptions = {}): Promise<Receiver> {
  const received: Received[] = [];
  const legacy = opts.weakSignatures ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {};
  return started(createHttpsServer({ cert: chain.join(''), key, ...legacy }, handler(received, opts)), received);
}

export function httpReceiver(opts: ReceiverOptions = {}): Promise<Receiver> {
  const received: Received[] = [];
  return started(createHttpServer(handler(received, opts)), received);
}

/** Accepts TCP connections and never answers: a TLS handshake against it can only time out. */
export function silentTcpServer(): Promise<Receiver> {
  return started(createTcpServer(() => {}));
}

/** A loopback port with nothing listening (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = await started(createTcpServer());
  await server.close();
  return server.port;
}

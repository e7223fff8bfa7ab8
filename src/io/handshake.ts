// TCP connect and TLS handshake on our own sockets, so each step has its own deadline and its own
// error, and so the presented chain can be recorded whatever its trust.
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { withDeadline } from './deadline.js';

/** Connects to the first address that accepts, trying them in resolver order as Go's dialer does,
 * all within one deadline so a black-holed host costs one timeout however many addresses it has;
 * `signal` (the run's) cuts it short the same way. */
export function connectTcp(
  addresses: string[],
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ socket: Socket; address: string }> {
  let current: Socket | undefined;
  let cancelled = false;
  const attempt = async () => {
    // Go's serial dialer reports the first address's error.
    let firstError: unknown;
    for (const address of addresses) {
      if (cancelled) break;
      current = tcpConnect({ host: address, port });
      try {
        await once(current, 'connect');
        return { socket: current, address };
      } catch (err) {
        firstError ??= err;
        current.destroy();
      }
    }
    throw firstError ?? new Error('no address to connect to');
  };
  return withDeadline(
    attempt(),
    timeoutMs,
    `TCP connect to ${addresses.join(', ')} port ${port}`,
    () => {
      cancelled = true;
      current?.destroy();
    },
    signal,
  );
}

/** Handshakes over `socket` without verifying, and with an empty trust store (`ca: []`): Node then
 * cannot add certificates from its own store to the chain it reports, so what is recorded is only
 * what the server sent. SNI is sent for names only, as Go does. */
export function handshake(socket: Socket, serverName: string, timeoutMs: number, signal?: AbortSignal): Promise<TLSSocket> {
  const tlsSocket = tlsConnect({
    socket,
    ca: [],
    rejectUnauthorized: false,
    ...(isIP(serverName) ? {} : { servername: serverName }),
  });
  const secured = new Promise<TLSSocket>((resolve, reject) => {
    tlsSocket.once('secureConnect', () => resolve(tlsSocket));
    tlsSocket.once('error', reject);
  });
  return withDeadline(secured, timeoutMs, 'TLS handshake', () => tlsSocket.destroy(), signal);
}

/** The presented chain as PEM, leaf first. Node exposes the peer chain only linked by issuer
 * (getPeerCertificate(true)), which is the presented order for a well-ordered chain; presented
 * certificates off the leaf's issuer path are not reported. The walk stops at a self-reference. */
export function presentedChain(socket: TLSSocket): string[] {
  const pems: string[] = [];
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert && cert.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    pems.push(new X509Certificate(cert.raw).toString());
    cert = cert.issuerCertificate;
  }
  return pems;
}

/** After a failed handshake: does the port answer plain HTTP? Go reports that case as
 * "http: server gave HTTP response to HTTPS client". Only called when the server answered the
 * ClientHello quickly, so it cannot add a second long wait. */
export async function answersPlainHttp(address: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  let socket: Socket | undefined;
  try {
    ({ socket } = await connectTcp([address], port, timeoutMs, signal));
    const open = socket;
    const firstBytes = new Promise<string>((resolve, reject) => {
      open.once('data', (chunk: Buffer) => resolve(chunk.subarray(0, 5).toString('latin1')));
      open.once('error', reject);
      open.once('end', () => resolve(''));
    });
    open.write('HEAD / HTTP/1.0\r\n\r\n');
    return (await withDeadline(firstBytes, timeoutMs, 'plain HTTP check', undefined, signal)) === 'HTTP/';
  } catch {
    return false;
  } finally {
    socket?.destroy();
  }
}

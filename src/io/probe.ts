// The reachability ladder for the audit webhook, in one pass and on one budget: DNS, TCP, TLS
// (recording the presented chain), then the apiserver's own POST. A rung that fails ends the ladder,
// so a host that swallows packets costs one timeout for the whole run, not one per check.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { withDeadline } from './deadline.js';
import { answersPlainHttp, connectTcp, handshake, presentedChain } from './handshake.js';
import { classifyNetError } from './net-errors.js';
import type { ProbeResult, Rung, RungName } from '../model/probe.js';
import { postEmptyEventList } from './webhook-post.js';

export interface ProbeTarget {
  /** The exact URL the apiserver POSTs to. */
  url: string;
  /** The name verified and sent as SNI: tls-server-name, else the URL host. */
  serverName: string;
  /** PEM anchors handed to Node for its own (contrasting) verification on the POST; may still be
   * loading while the first rungs run. */
  anchors: string[] | Promise<string[]>;
  /** Bound for each rung. */
  timeoutMs: number;
  /** Stop after the TLS handshake: only the presented chain is wanted, nothing is POSTed. */
  chainOnly?: boolean;
  /** The run's cancel (q, Esc, Ctrl-C): destroys the socket of the rung under way and rejects the
   * probe with the signal's reason, instead of recording a failed rung. */
  signal?: AbortSignal;
}

/** Runs one step, timing it and recording it as a rung; null when it failed. */
async function climb<T>(
  result: ProbeResult,
  name: RungName,
  step: () => Promise<T>,
  describe: (value: T) => string,
  signal: AbortSignal | undefined,
): Promise<T | null> {
  const started = performance.now();
  const rung: Rung = { name, ok: false, durationMs: 0, detail: '', error: null };
  result.rungs.push(rung);
  try {
    const value = await step();
    rung.ok = true;
    rung.detail = describe(value);
    return value;
  } catch (err) {
    // An abort is the user leaving, not something the endpoint did.
    signal?.throwIfAborted();
    rung.error = classifyNetError(err);
    rung.detail = rung.error.message;
    return null;
  } finally {
    rung.durationMs = Math.round(performance.now() - started);
  }
}

async function resolveHost(host: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<string[]> {
  if (isIP(host)) return [host];
  const found = await withDeadline(lookup(host, { all: true }), timeoutMs, `DNS lookup of ${host}`, undefined, signal);
  return found.map((a) => a.address);
}

export async function probeWebhook(target: ProbeTarget): Promise<ProbeResult> {
  const url = new URL(target.url);
  const https = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || (https ? 443 : 80));
  const { timeoutMs, signal } = target;
  const result: ProbeResult = { addresses: [], address: null, port, rungs: [], presented: null, http: null, nodeVerification: null };

  const addresses = await climb(
    result,
    'dns',
    () => resolveHost(host, timeoutMs, signal),
    (a) => (isIP(host) ? `${host} is an IP address` : `${host} resolved to ${a.join(', ')}`),
    signal,
  );
  if (addresses === null) return result;
  result.addresses = addresses;
  const connected = await climb(
    result,
    'tcp',
    () => connectTcp(addresses, port, timeoutMs, signal),
    (c) => `connected to ${c.address}:${port}`,
    signal,
  );
  if (!connected) return result;
  const { socket, address } = connected;
  result.address = address;

  if (https) {
    const tlsSocket = await climb(
      result,
      'tls',
      () => handshake(socket, target.serverName, timeoutMs, signal),
      (s) => {
        const count = presentedChain(s).length;
        return `${s.getProtocol() ?? 'TLS'} handshake done; the server presented ${count} certificate${count === 1 ? '' : 's'}`;
      },
      signal,
    );
    if (!tlsSocket) {
      socket.destroy();
      const rung = result.rungs[result.rungs.length - 1]!;
      if (rung.error?.kind !== 'timeout' && (await answersPlainHttp(address, port, timeoutMs, signal))) {
        rung.error = { kind: 'plain-http', code: rung.error?.code ?? null, message: 'http: server gave HTTP response to HTTPS client' };
        rung.detail = `${address}:${port} speaks plain HTTP, but the URL says https://`;
      }
      return result;
    }
    result.presented = presentedChain(tlsSocket);
    tlsSocket.destroy();
    if (target.chainOnly) return result;
  } else {
    socket.destroy();
  }

  const anchors = await target.anchors;
  const posted = await climb(
    result,
    'http',
    () => postEmptyEventList({ url: target.url, serverName: target.serverName, anchors, timeoutMs, signal }),
    (o) => `HTTP ${o.status}`,
    signal,
  );
  if (!posted) return result;
  result.http = { status: posted.status, bodyExcerpt: posted.bodyExcerpt };
  result.nodeVerification = posted.nodeVerification;
  if (posted.status < 200 || posted.status > 299) {
    // Go's webhook client counts any status outside 2xx as a failed delivery (and retries it).
    const rung = result.rungs[result.rungs.length - 1]!;
    rung.ok = false;
    rung.error = { kind: 'http-status', code: String(posted.status), message: `the webhook answered HTTP ${posted.status}` };
  }
  return result;
}

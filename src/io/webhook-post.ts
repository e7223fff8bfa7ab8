// The apiserver's delivery, reproduced: POST an empty audit EventList to the webhook URL. undici's
// request() with our own connector gives TLS error codes directly (fetch() hides them in `cause`),
// and lets us record what Node's own verifier thinks of the chain without refusing to go on.
import { isIP } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { buildConnector as BuildConnector } from 'undici';
import { withDeadline } from './deadline.js';
import type { NodeVerification } from '../model/probe.js';

export const EMPTY_EVENT_LIST = '{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[]}';
export const BODY_EXCERPT_CHARS = 200;

export interface PostOutcome {
  status: number;
  bodyExcerpt: string;
  /** Node/OpenSSL's verdict with the same anchors (null for http URLs). Go may differ. */
  nodeVerification: NodeVerification | null;
}

export interface PostOptions {
  url: string;
  serverName: string;
  anchors: string[];
  timeoutMs: number;
  /** The run's cancel: aborts the request and destroys its socket at once. */
  signal?: AbortSignal;
}

export async function postEmptyEventList(opts: PostOptions): Promise<PostOutcome> {
  // undici takes ~140 ms to load: only runs that actually POST pay for it.
  const { Agent, buildConnector, request } = await import('undici');
  let nodeVerification: PostOutcome['nodeVerification'] = null;
  const base = buildConnector({
    ca: opts.anchors,
    rejectUnauthorized: false,
    timeout: opts.timeoutMs,
    ...(isIP(opts.serverName) ? {} : { servername: opts.serverName }),
  });
  const connect: BuildConnector.connector = (options, callback) =>
    base(options, (...args) => {
      const socket = args[1];
      if (socket instanceof TLSSocket) {
        const error = socket.authorizationError;
        nodeVerification = { authorized: socket.authorized, error: error ? String(error) : null };
      }
      callback(...args);
    });
  const agent = new Agent({ connect, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs });
  const abort = new AbortController();
  const exchange = async (): Promise<PostOutcome> => {
    const response = await request(opts.url, {
      method: 'POST',
      dispatcher: agent,
      signal: abort.signal,
      headers: { 'content-type': 'application/json', accept: 'application/json, */*' },
      body: EMPTY_EVENT_LIST,
    });
    // Only an excerpt is kept, so stop reading there: an error page can be large.
    let body = '';
    for await (const chunk of response.body) {
      body += (chunk as Buffer).toString('utf8');
      if (body.length >= BODY_EXCERPT_CHARS) break;
    }
    return { status: response.statusCode, bodyExcerpt: body.slice(0, BODY_EXCERPT_CHARS), nodeVerification };
  };
  try {
    // undici's headers/body timers tick at about 1 s; our own deadline keeps the rung to timeoutMs.
    return await withDeadline(exchange(), opts.timeoutMs, `HTTP POST to ${opts.url}`, () => abort.abort(), opts.signal);
  } finally {
    await agent.destroy();
  }
}

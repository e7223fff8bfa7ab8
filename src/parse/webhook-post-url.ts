// The URL kube-apiserver's webhook client POSTs to, from the kubeconfig `server:` value, following
// client-go 1.20 (rest.DefaultServerURL, NewRESTClient, Request.URL): the path is kept as a prefix
// and cleaned like Go's path.Join, query and fragment are dropped. `?timeout=30s` is added only
// when client-go builds its own transport: with no TLS settings, credentials or proxy it uses
// http.DefaultTransport with no http.Client, so the 30 s timeout (and its query parameter) is never
// set. Seen on a real kube-apiserver 1.20: plain http:// URLs are POSTed without it. Pure.
import { posix } from 'node:path';

export interface WebhookPostUrl {
  scheme: 'https' | 'http';
  /** Host name or IP, without IPv6 brackets. */
  host: string;
  port: number;
  url: string;
}

export type WebhookPostUrlResult = { ok: true; value: WebhookPostUrl } | { ok: false; why: string };

export interface WebhookTransport {
  /** CA, client certificate or insecure is set: client-go then assumes https for a scheme-less
   * `host:port`, and http otherwise. */
  tls: boolean;
  /** Anything that makes client-go build its own transport: any TLS setting (including
   * tls-server-name), credentials, or proxy-url. */
  custom: boolean;
}

export function webhookPostUrl(server: string, transport: WebhookTransport): WebhookPostUrlResult {
  let withScheme = server;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(server)) {
    if (server.includes('/')) return { ok: false, why: `host must be a URL or a host:port pair: "${server}"` };
    withScheme = `${transport.tls ? 'https' : 'http'}://${server}`;
  }
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return { ok: false, why: `"${server}" is not a URL` };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { ok: false, why: `the scheme ${u.protocol} is neither https: nor http:` };
  const scheme = u.protocol === 'https:' ? 'https' : 'http';
  const cleaned = posix.normalize(posix.join('/', u.pathname));
  const path = cleaned.length > 1 ? cleaned.replace(/\/$/, '') : cleaned;
  return {
    ok: true,
    value: {
      scheme,
      host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(u.port || (scheme === 'https' ? 443 : 80)),
      url: `${u.protocol}//${u.host}${path}${transport.custom ? '?timeout=30s' : ''}`,
    },
  };
}

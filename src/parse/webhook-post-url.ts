// The URL kube-apiserver's webhook client POSTs to, from the kubeconfig `server:` value, following
// client-go 1.20 (rest.DefaultServerURL, NewRESTClient, Request.URL): the path is kept as a prefix
// and cleaned like Go's path.Join, query and fragment are dropped, and `?timeout=30s` is added
// because the webhook's request timeout is 30 s. Pure.
import { posix } from 'node:path';

export interface WebhookPostUrl {
  scheme: 'https' | 'http';
  /** Host name or IP, without IPv6 brackets. */
  host: string;
  port: number;
  url: string;
}

export type WebhookPostUrlResult = { ok: true; value: WebhookPostUrl } | { ok: false; why: string };

/** `hasTls`: CA, client certificate or insecure is set; client-go then assumes https for a
 * scheme-less `host:port`, and http otherwise. */
export function webhookPostUrl(server: string, hasTls: boolean): WebhookPostUrlResult {
  let withScheme = server;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(server)) {
    if (server.includes('/')) return { ok: false, why: `host must be a URL or a host:port pair: "${server}"` };
    withScheme = `${hasTls ? 'https' : 'http'}://${server}`;
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
      url: `${u.protocol}//${u.host}${path}?timeout=30s`,
    },
  };
}

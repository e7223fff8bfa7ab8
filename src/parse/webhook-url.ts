// Splits a Prisma Cloud webhook URL into its parts. Pure.

export const WEBHOOK_PATH = '/api/v1/kubernetes/webhook/';

export interface WebhookUrl {
  scheme: string;
  host: string;
  port: string;
  /** Path before /api/v1/... (the SaaS tenant segment), '' when none. */
  prefix: string;
  /** null when the path is not a Prisma webhook path at all. */
  suffix: string | null;
  query: string;
  fragment: string;
}

/** Parses the URL as Go's url.Parse would accept it; returns an error string otherwise. */
export function parseWebhookUrl(server: string): WebhookUrl | { error: string } {
  if (server !== server.trim()) return { error: 'the server value has leading or trailing whitespace' };
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(server);
  if (!scheme) {
    return server.includes('/') ? { error: `host must be a URL or a host:port pair: "${server}"` } : { error: `"${server}" has no scheme: client-go assumes http:// when no CA is set` };
  }
  let u: URL;
  try {
    u = new URL(server);
  } catch {
    return { error: `"${server}" is not a valid URL` };
  }
  const idx = u.pathname.indexOf(WEBHOOK_PATH);
  const suffix = idx < 0 ? null : u.pathname.slice(idx + WEBHOOK_PATH.length).replace(/\/$/, '');
  return {
    scheme: u.protocol.replace(/:$/, ''),
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port,
    prefix: idx < 0 ? u.pathname : u.pathname.slice(0, idx),
    suffix,
    query: u.search,
    fragment: u.hash,
  };
}

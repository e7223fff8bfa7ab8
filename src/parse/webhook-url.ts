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
    return server.includes('/')
      ? { error: `host must be a URL or a host:port pair: "${server}"` }
      : { error: `"${server}" has no scheme: client-go assumes http:// when no CA is set` };
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

const SAAS = /(^|\.)(cloud\.twistlock\.com|prismacloud\.io|prismacloud\.cn)$/i;

/** Prisma Cloud SaaS consoles present publicly trusted certificates. */
export function isSaasHost(host: string): boolean {
  return SAAS.test(host);
}

const TEMPLATE = /(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|<[a-z_ -]+>|\{\{[^}]*\}\})/i;

/** What is wrong with a server URL for Prisma (`summary`) and what to do (`text`). */
export interface UrlProblem {
  summary: string;
  text: string;
}

/** Why kube-apiserver cannot deliver to `server` for Prisma Cloud, or the parsed URL. The
 * webhook-url check reports the problem; the webhook-kubeconfig fix refuses to keep such a URL. */
export function judgeWebhookUrl(server: string): { problem: UrlProblem } | { url: WebhookUrl } {
  const problem = (summary: string, text: string) => ({ problem: { summary, text } });
  const template = TEMPLATE.exec(server);
  if (template)
    return problem(
      `the server URL still contains the template placeholder ${template[1]}`,
      'Render the template (set the variable before running the heredoc/envsubst) or write the URL by hand.',
    );
  const u = parseWebhookUrl(server);
  if ('error' in u) return problem(u.error, 'Write the full URL: https://<console>[:8083]/api/v1/kubernetes/webhook/<suffix>.');
  if (u.scheme !== 'https')
    return problem(
      `the URL uses ${u.scheme}://; the Prisma console accepts events over https only`,
      "Use https:// and the console's HTTPS port (8083 for self-hosted consoles).",
    );
  if (/\.svc(\.|$)|\.cluster\.local$/i.test(u.host)) {
    return problem(
      `${u.host} is an in-cluster service name; kube-apiserver runs on the host network and does not use cluster DNS`,
      "Use the console's external DNS name or IP (or a NodePort/LoadBalancer address reachable from the control-plane nodes).",
    );
  }
  if (u.suffix === null)
    return problem(
      `the path ${u.prefix || '/'} is not ${WEBHOOK_PATH}<suffix>`,
      'Append /api/v1/kubernetes/webhook/<suffix> to the console URL (keep a SaaS tenant segment in front of /api).',
    );
  if (u.suffix === '' || u.suffix.includes('/')) {
    return problem(
      u.suffix === ''
        ? 'the webhook suffix is empty (the Prisma "settings are empty" symptom: auditing was never enabled in the console, or $suffix was unset)'
        : 'the suffix contains a "/": it is not a single path segment',
      'In the console open Defend > Access > Kubernetes, enable Kubernetes auditing and copy the webhook URL (or read webhookUrlSuffix from GET /api/v1/settings/kubernetes-audit).',
    );
  }
  if (isSaasHost(u.host) && /cloud\.twistlock\.com$/i.test(u.host) && u.prefix === '') {
    return problem(
      'a SaaS console URL without the tenant path segment (https://<region>.cloud.twistlock.com/<tenant>/api/...)',
      'Use "Path to Console" from Manage > System > Utilities, which includes the tenant segment, in front of /api/v1/kubernetes/webhook/<suffix>.',
    );
  }
  return { url: u };
}

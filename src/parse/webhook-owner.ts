// Who owns the apiserver's single audit webhook when it is not Prisma: kube-apiserver has one
// webhook backend (one kubeconfig, only its current context), so configuring Prisma replaces
// whatever receives the events today. Pure.
import { parseWebhookUrl } from './webhook-url.js';

export interface WebhookOwner {
  /** "Falco", "Sysdig", "Datadog", or "another receiver". */
  name: string;
  /** The server without path or query: never a credential. */
  endpoint: string;
}

const KNOWN: { name: string; test: (host: string, path: string) => boolean }[] = [
  // By host first: the Sysdig agent also listens on /k8s_audit.
  { name: 'Sysdig', test: (h) => /sysdig/i.test(h) },
  { name: 'Datadog', test: (h) => /datadog|datadoghq/i.test(h) },
  // Falco's embedded webserver and its k8saudit plugin: /k8s-audit (older: /k8s_audit).
  { name: 'Falco', test: (h, p) => /falco/i.test(h) || /^\/k8s[-_]audit\/?$/.test(p) },
];

/** null when the server is a Prisma webhook URL (or no URL at all). */
export function otherWebhookOwner(server: string | null): WebhookOwner | null {
  if (!server) return null;
  const u = parseWebhookUrl(server);
  if ('error' in u || u.suffix !== null) return null;
  const endpoint = `${u.scheme}://${u.host}${u.port ? `:${u.port}` : ''}`;
  const known = KNOWN.find((k) => k.test(u.host, u.prefix));
  return { name: known?.name ?? 'another receiver', endpoint: `${endpoint}${u.prefix}` };
}

import type { Check } from '../engine/check.js';
import type { Evidence } from '../engine/types.js';
import { WEBHOOK_PATH, parseWebhookUrl } from '../parse/webhook-url.js';
import { fieldEvidence } from './common.js';
import { isSaasHost, loadWebhook } from './webhook-common.js';

const TEMPLATE = /(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|<[a-z_ -]+>|\{\{[^}]*\}\})/i;

export const webhookUrl: Check = {
  id: 'webhook-url',
  title: 'webhook URL has the Prisma shape',
  reads: 'clusters[].cluster.server of the webhook kubeconfig',
  needs: ['webhookConfig'],
  explain: {
    why: 'Prisma Cloud accepts audit events at https://<console>/api/v1/kubernetes/webhook/<suffix>; the suffix (from Defend > Access > Kubernetes, or GET /api/v1/settings/kubernetes-audit) is the shared secret. SaaS consoles keep their tenant path segment in front of /api. client-go drops a query string, and kube-apiserver runs on the host network, where in-cluster .svc names do not resolve.',
    detect: 'Parses the server URL of the resolved cluster and checks scheme, host, tenant segment, path, suffix, query and leftover template variables.',
    fix: 'Copy the full webhook URL from the Prisma console (Defend > Access > Kubernetes, or Manage > System > Utilities "Path to Console" plus /api/v1/kubernetes/webhook/<suffix>) and regenerate the kubeconfig: `prisma-audit fix --only webhook-kubeconfig --webhook-url URL`.',
  },
  evaluate(facts) {
    const { file, kc } = loadWebhook(facts);
    if (!kc.server) return { status: 'skip', summary: 'no server URL to judge (see webhook-config-valid)' };
    const field = kc.clusterIndex !== null ? `clusters.${kc.clusterIndex}.cluster.server` : '';
    const ev: Evidence[] = [fieldEvidence(file, field, `server: ${kc.server}`)];
    const fail = (summary: string, text: string) => ({ status: 'fail' as const, summary: `${file.path}${ev[0]!.line ? `:${ev[0]!.line}` : ''}: ${summary}`, evidence: ev, remediation: { text, fix: 'webhook-kubeconfig' } });
    const template = TEMPLATE.exec(kc.server);
    if (template) return fail(`the server URL still contains the template placeholder ${template[1]}`, 'Render the template (set the variable before running the heredoc/envsubst) or write the URL by hand.');
    const u = parseWebhookUrl(kc.server);
    if ('error' in u) return fail(u.error, 'Write the full URL: https://<console>[:8083]/api/v1/kubernetes/webhook/<suffix>.');
    if (u.scheme !== 'https') return fail(`the URL uses ${u.scheme}://; the Prisma console accepts events over https only`, 'Use https:// and the console\'s HTTPS port (8083 for self-hosted consoles).');
    if (/\.svc(\.|$)|\.cluster\.local$/i.test(u.host)) {
      return fail(`${u.host} is an in-cluster service name; kube-apiserver runs on the host network and does not use cluster DNS`, 'Use the console\'s external DNS name or IP (or a NodePort/LoadBalancer address reachable from the control-plane nodes).');
    }
    if (u.suffix === null) return fail(`the path ${u.prefix || '/'} is not ${WEBHOOK_PATH}<suffix>`, 'Append /api/v1/kubernetes/webhook/<suffix> to the console URL (keep a SaaS tenant segment in front of /api).');
    if (u.suffix === '' || u.suffix.includes('/')) {
      return fail(
        u.suffix === '' ? 'the webhook suffix is empty (the Prisma "settings are empty" symptom: auditing was never enabled in the console, or $suffix was unset)' : 'the suffix contains a "/": it is not a single path segment',
        'In the console open Defend > Access > Kubernetes, enable Kubernetes auditing and copy the webhook URL (or read webhookUrlSuffix from GET /api/v1/settings/kubernetes-audit).',
      );
    }
    if (isSaasHost(u.host) && /cloud\.twistlock\.com$/i.test(u.host) && u.prefix === '') {
      return fail('a SaaS console URL without the tenant path segment (https://<region>.cloud.twistlock.com/<tenant>/api/...)', 'Use "Path to Console" from Manage > System > Utilities, which includes the tenant segment, in front of /api/v1/kubernetes/webhook/<suffix>.');
    }
    if (u.query || u.fragment) {
      return {
        status: 'warn' as const,
        summary: `${file.path}: the URL has a ${u.query ? 'query string' : 'fragment'} (${u.query || u.fragment}) that client-go drops before posting`,
        evidence: ev,
        remediation: { text: 'Remove everything after the suffix; the apiserver posts to the path only (with ?timeout=30s).', fix: 'webhook-kubeconfig' },
      };
    }
    if (!isSaasHost(u.host) && !u.port) ev.push({ message: 'no port: 443 is used; self-hosted consoles listen on 8083 unless a load balancer fronts them' });
    if (u.prefix) ev.push({ message: `path prefix (tenant segment) ${u.prefix} kept in front of /api` });
    return { status: 'pass' as const, summary: `https://${u.host}${u.port ? `:${u.port}` : ''}${u.prefix}${WEBHOOK_PATH}<suffix> has the Prisma webhook shape`, evidence: ev };
  },
};

import type { Check } from './check.js';
import type { Evidence } from '../model/report.js';
import { WEBHOOK_PATH, isSaasHost, judgeWebhookUrl } from '../parse/webhook-url.js';
import { fieldEvidence } from './field-evidence.js';
import { loadWebhook } from './load-webhook.js';
import { otherWebhookOwner } from '../parse/webhook-owner.js';

export const webhookUrl: Check = {
  id: 'webhook-url',
  title: 'webhook URL has the Prisma shape',
  reads: 'clusters[].cluster.server of the webhook kubeconfig',
  needs: ['webhookConfig'],
  explain: {
    why: 'Prisma Cloud accepts audit events at https://<console>/api/v1/kubernetes/webhook/<suffix>; the suffix (from Defend > Access > Kubernetes, or GET /api/v1/settings/kubernetes-audit) is the shared secret. SaaS consoles keep their tenant path segment in front of /api. client-go drops a query string, and kube-apiserver runs on the host network, where in-cluster .svc names do not resolve.',
    detect:
      'Parses the server URL of the resolved cluster and checks scheme, host, tenant segment, path, suffix, query and leftover template variables.',
    fix: 'Copy the full webhook URL from the Prisma console (Defend > Access > Kubernetes, or Manage > System > Utilities "Path to Console" plus /api/v1/kubernetes/webhook/<suffix>) and regenerate the kubeconfig: `prisma-audit fix --only webhook-kubeconfig --webhook-url URL`.',
  },
  evaluate(facts) {
    const { file, kc } = loadWebhook(facts);
    if (!kc.server) return { status: 'skip', summary: 'no server URL to judge (see webhook-config-valid)' };
    const field = kc.clusterIndex !== null ? `clusters.${kc.clusterIndex}.cluster.server` : '';
    const ev: Evidence[] = [fieldEvidence(file, field, `server: ${kc.server}`)];
    const clusters = Array.isArray((file.value as { clusters?: unknown })?.clusters)
      ? (file.value as { clusters: unknown[] }).clusters.length
      : 0;
    if (clusters > 1)
      ev.push({
        message: `${clusters} clusters in the file: kube-apiserver uses only current-context "${kc.currentContext}" -> cluster "${kc.clusterName}"; the others receive nothing`,
      });
    const owner = otherWebhookOwner(kc.server);
    if (owner) {
      return {
        status: 'fail',
        summary: `${file.path}: the apiserver's single audit webhook sends events to ${owner.name} (${owner.endpoint}), not Prisma Cloud; configuring Prisma replaces it, and ${owner.name} stops receiving audit events`,
        evidence: ev,
        remediation: {
          text: `kube-apiserver has exactly one webhook backend. Either keep ${owner.name} and forward its events to Prisma (a fan-out such as falcosidekick or an audit router), or replace it: \`prisma-audit fix --only webhook-kubeconfig --webhook-url URL --replace-webhook\`.`,
          fix: 'webhook-kubeconfig',
        },
      };
    }
    const judged = judgeWebhookUrl(kc.server);
    if ('problem' in judged) {
      const { summary, text } = judged.problem;
      return {
        status: 'fail',
        summary: `${file.path}${ev[0]!.line ? `:${ev[0]!.line}` : ''}: ${summary}`,
        evidence: ev,
        remediation: { text, fix: 'webhook-kubeconfig' },
      };
    }
    const u = judged.url;
    if (u.query || u.fragment) {
      return {
        status: 'warn' as const,
        summary: `${file.path}: the URL has a ${u.query ? 'query string' : 'fragment'} (${u.query || u.fragment}) that client-go drops before posting`,
        evidence: ev,
        remediation: {
          text: 'Remove everything after the suffix; the apiserver posts to the path only (with ?timeout=30s).',
          fix: 'webhook-kubeconfig',
        },
      };
    }
    if (!isSaasHost(u.host) && !u.port)
      ev.push({ message: 'no port: 443 is used; self-hosted consoles listen on 8083 unless a load balancer fronts them' });
    if (u.prefix) ev.push({ message: `path prefix (tenant segment) ${u.prefix} kept in front of /api` });
    return {
      status: 'pass' as const,
      summary: `https://${u.host}${u.port ? `:${u.port}` : ''}${u.prefix}${WEBHOOK_PATH}<suffix> has the Prisma webhook shape`,
      evidence: ev,
    };
  },
};

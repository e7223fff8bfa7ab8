// prisma-webhook-url: the webhook kubeconfig must post to the URL the console expects:
// <console>/api/v1/kubernetes/webhook/<webhookUrlSuffix>, tenant path kept.
import type { Check } from './check.js';
import { expectedWebhookUrl } from '../kube/console-target.js';
import { fieldEvidence } from './field-evidence.js';
import { loadWebhook } from './load-webhook.js';

const GENERATE =
  'In the console open Defend > Access > Kubernetes, set Kubernetes auditing to Enabled and save: the console then generates the webhook suffix (GET /api/v1/settings/kubernetes-audit returns it as webhookUrlSuffix). Then regenerate the webhook kubeconfig with the new URL.';

export const prismaWebhookUrl: Check = {
  id: 'prisma-webhook-url',
  title: 'webhook URL matches the Prisma console',
  reads: 'GET <console>/api/v1/settings/kubernetes-audit (webhookUrlSuffix) and the webhook kubeconfig server',
  needs: ['prismaSettings', 'webhookConfig'],
  network: true,
  explain: {
    why: 'The console accepts events only at <console>/api/v1/kubernetes/webhook/<webhookUrlSuffix>; the suffix is its shared secret. A stale or mistyped suffix, or a SaaS URL without its tenant segment, makes every batch fail.',
    detect:
      'Reads webhookUrlSuffix from the console with the API token (PRISMA_TOKEN or --token-file; read only, settings are never written) and compares <console>/api/v1/kubernetes/webhook/<suffix> with the server of the webhook kubeconfig.',
    fix: 'Write the expected URL into clusters[].cluster.server of the webhook kubeconfig on every control-plane node and restart the apiservers.',
  },
  evaluate(facts) {
    const settings = facts.get('prismaSettings');
    if (settings.webhookUrlSuffix === '') {
      return {
        status: 'fail',
        summary: `the console ${settings.console} returned an empty webhookUrlSuffix ("settings are empty"): Kubernetes auditing was never enabled there, so no webhook URL exists yet`,
        remediation: { text: GENERATE },
      };
    }
    const expected = expectedWebhookUrl(settings.console, settings.webhookUrlSuffix);
    const { file, kc } = loadWebhook(facts);
    const field = kc.clusterIndex !== null ? `clusters.${kc.clusterIndex}.cluster.server` : '';
    const actual = kc.server ?? '';
    const evidence = [{ ...fieldEvidence(file, field, `server: ${actual || '(empty)'}`), actual, expected }];
    if (actual.replace(/\/+$/, '') === expected)
      return { status: 'pass', summary: `${file.path} posts to the console's webhook URL`, evidence };
    const sameSuffix = actual.endsWith(`/${settings.webhookUrlSuffix}`);
    return {
      status: 'fail',
      summary: sameSuffix
        ? `${file.path}: the suffix matches but the console part differs from ${settings.console} (tenant segment, host or port)`
        : `${file.path}: the server is not ${settings.console}/api/v1/kubernetes/webhook/<the console's suffix>`,
      evidence,
      remediation: {
        text: `Set clusters[].cluster.server to the expected URL on every control-plane node, then restart the apiservers (they read the file once, at startup).`,
        fix: 'webhook-kubeconfig',
      },
    };
  },
};

// Runs the real webhookProbe collector on a webhook kubeconfig given as data, with the apiserver
// and webhookConfig facts it depends on built the way their collectors would report them.
import { stringify } from 'yaml';
import type { CollectContext } from '../../src/facts/collector.js';
import type { FactValue, WebhookProbe } from '../../src/model/facts.js';
import type { EnvVar, ParsedFile } from '../../src/model/node.js';
import { apiserver } from './facts.js';
import { webhookProbeCollector } from '../../src/facts/node/webhook-probe.js';

export interface WebhookKubeconfig {
  server: string;
  caPem?: string;
  caFile?: string;
  tlsServerName?: string;
  insecure?: boolean;
  proxyUrl?: string;
}

export const WEBHOOK_CONFIG_PATH = '/etc/kubernetes/audit/audit-webhook.yaml';

export function kubeconfigValue(k: WebhookKubeconfig): unknown {
  const cluster: Record<string, unknown> = { server: k.server };
  if (k.caPem !== undefined) cluster['certificate-authority-data'] = Buffer.from(k.caPem).toString('base64');
  if (k.caFile !== undefined) cluster['certificate-authority'] = k.caFile;
  if (k.tlsServerName !== undefined) cluster['tls-server-name'] = k.tlsServerName;
  if (k.insecure) cluster['insecure-skip-tls-verify'] = true;
  if (k.proxyUrl !== undefined) cluster['proxy-url'] = k.proxyUrl;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'prisma', cluster }],
    contexts: [{ name: 'webhook', context: { cluster: 'prisma', user: 'kube-apiserver' } }],
    'current-context': 'webhook',
  };
}

function parsedFile(value: unknown): ParsedFile {
  const text = stringify(value);
  return {
    path: WEBHOOK_CONFIG_PATH,
    containerPath: WEBHOOK_CONFIG_PATH,
    size: text.length,
    text,
    value,
    error: null,
    documents: 1,
    lines: { 'clusters.0.cluster.server': 6, 'clusters.0.cluster.certificate-authority-data': 5 },
  };
}

export interface CollectOptions {
  root?: string;
  env?: EnvVar[];
  timeoutMs?: number;
  offline?: boolean;
  /** The apiserver fact's version; 1.20.2 (the real-apiserver suite's) unless given. */
  kubernetesVersion?: string | null;
}

export function collectWebhookProbe(k: WebhookKubeconfig, opts: CollectOptions = {}): Promise<WebhookProbe> {
  const ctx: CollectContext = {
    root: opts.root ?? '/nonexistent-root',
    manifest: null,
    kubernetesVersion: null,
    timeoutMs: opts.timeoutMs ?? 2000,
    offline: opts.offline ?? false,
    now: new Date(),
  };
  const deps = {
    async need<K extends 'apiserver' | 'webhookConfig'>(key: K) {
      return (
        key === 'apiserver'
          ? apiserver([], {
              env: opts.env ?? [],
              image: null,
              kubernetesVersion: opts.kubernetesVersion === undefined ? '1.20.2' : opts.kubernetesVersion,
            })
          : parsedFile(kubeconfigValue(k))
      ) as FactValue<K>;
    },
  };
  return webhookProbeCollector.collect(ctx, deps as never);
}

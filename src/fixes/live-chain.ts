// The chain the webhook endpoint presents now, for the webhook-kubeconfig fix: the doctor's own
// probe when the fix keeps the probed endpoint, else one probe of the --webhook-url. It comes with
// the anchors the current kubeconfig gives kube-apiserver, so a CA that still works is kept.
import { locate } from '../kube/audit-paths.js';
import { loadTrust } from '../facts/node/webhook-trust.js';
import type { LiveChain } from './generators/live-anchor.js';
import type { GatheredFacts } from './types.js';
import { probeWebhook } from '../io/probe.js';
import { resolveKubeconfig } from '../parse/kubeconfig.js';
import { webhookPostUrl } from '../parse/webhook-post-url.js';
import { sha1Policy } from '../tls/signature-algorithm.js';

/** null when the URL is not https or no TLS handshake succeeded (then nothing live is known). */
export async function liveChainFor(
  facts: GatheredFacts,
  webhookUrl: string | null,
  root: string,
  timeoutMs: number,
): Promise<LiveChain | null> {
  const config = facts.webhookConfig?.ok && !facts.webhookConfig.value.error ? facts.webhookConfig.value : null;
  const kc = resolveKubeconfig(config?.value ?? null);
  const server = webhookUrl ?? kc.server;
  const target = server ? webhookPostUrl(server, { tls: true, custom: true }) : null;
  if (!target?.ok || target.value.scheme !== 'https') return null;
  const { host, port, url } = target.value;
  const api = facts.apiserver?.ok ? facts.apiserver.value : null;
  const serverName = kc.tlsServerName ?? host;
  const base = { endpoint: `${host}:${port}`, serverName, refuseSha1: sha1Policy(api?.kubernetesVersion ?? null).refuse };
  const probed = facts.webhookProbe?.ok ? facts.webhookProbe.value : null;
  if (probed && probed.host === host && probed.port === port && probed.serverName === serverName) {
    const presented = probed.probe.presented;
    return presented?.length ? { ...base, presented, currentAnchors: probed.trust.anchors } : null;
  }
  // The file's own endpoint had its one look in the doctor's probe, whatever came of it.
  if (webhookUrl === null) return null;
  // A handshake only: the chain is all the generator needs; verification then tries the fixed file
  // against the endpoint in full, as the doctor would.
  const result = await probeWebhook({ url, serverName, anchors: [], timeoutMs, chainOnly: true });
  if (!result.presented?.length) return null;
  const trust = await loadTrust({
    root,
    hostPathOf: (containerPath) => (api ? (locate(api, containerPath).hostPath ?? containerPath) : containerPath),
    kubeconfigContainerPath: config?.containerPath ?? '/',
    clusterField: `clusters.${kc.clusterIndex ?? 0}.cluster`,
    kubeconfig: kc,
    env: api?.env ?? [],
  });
  return { ...base, presented: result.presented, currentAnchors: trust.anchors };
}

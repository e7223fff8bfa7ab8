// Collector for webhookProbe: resolves the webhook kubeconfig, loads its trust anchors and takes one
// live look at the endpoint (chain + reachability ladder). The only network fact, so that
// webhook-tls-chain and webhook-reachable share a single connection attempt.
import { locate } from '../../kube/audit-paths.js';
import { probeWebhook } from '../../io/probe.js';
import { resolveKubeconfig } from '../../parse/kubeconfig.js';
import { webhookPostUrl } from '../../parse/webhook-post-url.js';
import { factFailure, type Collector } from '../collector.js';
import { loadTrust } from './webhook-trust.js';

/** client-go's proxy settings (net/http ProxyFromEnvironment) in either case. */
const PROXY_ENV = /^(https?_proxy|no_proxy)$/i;

export const webhookProbeCollector: Collector<'webhookProbe'> = {
  key: 'webhookProbe',
  deps: ['apiserver', 'webhookConfig'],
  async collect(ctx, deps) {
    if (ctx.offline) {
      throw factFailure(
        'offline',
        'the webhook endpoint was not contacted because --offline was given',
        'Run without --offline to test the live endpoint.',
      );
    }
    const [apiserver, config] = await Promise.all([deps.need('apiserver'), deps.need('webhookConfig')]);
    const kc = resolveKubeconfig(config.value);
    if (kc.server === null || kc.clusterIndex === null) {
      throw factFailure('not-applicable', `${config.path} names no webhook server URL, so there is no endpoint to contact`);
    }
    const clusterField = `clusters.${kc.clusterIndex}.cluster`;
    const tls =
      kc.caData !== null ||
      kc.caFile !== null ||
      kc.insecureSkipTLSVerify ||
      kc.credentials.some((c) => c.startsWith('client-certificate'));
    // client-go >= 1.23 (rest.HTTPClientFor) always gives the client its 30 s timeout, so the query
    // parameter is always there (seen on the 1.36 oracle); 1.20 only with a transport of its own.
    const minor = /^v?1\.(\d+)/.exec(apiserver.kubernetesVersion ?? '');
    const modern = !minor || Number(minor[1]) >= 23;
    const custom = modern || tls || kc.tlsServerName !== null || kc.proxyUrl !== null || kc.credentials.length > 0;
    const target = webhookPostUrl(kc.server, { tls, custom });
    if (!target.ok) {
      throw factFailure(
        'not-applicable',
        `${config.path} ${clusterField}.server is not an http(s) URL (${target.why}), so there is no endpoint to contact`,
      );
    }
    // Container paths (CA file, system bundle) are read where the apiserver's mounts put them on
    // the host; a path no mount covers is read at the same path (what audit-files-mounted flags).
    const hostPathOf = (containerPath: string) => locate(apiserver, containerPath).hostPath ?? containerPath;
    // Reading a system bundle takes a few hundred ms; it overlaps the DNS, TCP and TLS rungs.
    const trustLoading = loadTrust({
      root: ctx.root,
      hostPathOf,
      kubeconfigContainerPath: config.containerPath,
      clusterField,
      kubeconfig: kc,
      env: apiserver.env,
    });
    const serverName = kc.tlsServerName ?? target.value.host;
    const probe = await probeWebhook({
      url: target.value.url,
      serverName,
      anchors: trustLoading.then((t) => t.anchors),
      timeoutMs: ctx.timeoutMs,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const trust = await trustLoading;
    return {
      kubeconfigFile: config.path,
      clusterField,
      lines: Object.fromEntries(Object.entries(config.lines).filter(([field]) => field.startsWith(`${clusterField}.`))),
      server: kc.server,
      ...target.value,
      serverName,
      insecureSkipTLSVerify: kc.insecureSkipTLSVerify,
      kubernetesVersion: apiserver.kubernetesVersion,
      trust,
      proxy: { env: apiserver.env.filter((e) => PROXY_ENV.test(e.name)), kubeconfigProxyUrl: kc.proxyUrl },
      probe,
    };
  },
};

// webhook-reachable: can this node deliver a batch the way kube-apiserver does (DNS, TCP, TLS, then
// POST of an audit EventList to the exact URL)? TLS trust is webhook-tls-chain's job; here the
// handshake only has to happen. The probe connects directly, so a proxy the apiserver would use is
// reported as a warning rather than exercised.
import type { Check, FactReader } from './check.js';
import type { Evidence, Finding, Remediation } from '../model/report.js';
import type { WebhookProbe } from '../model/facts.js';
import type { Rung } from '../model/probe.js';
import { proxyFor } from '../parse/proxy.js';
import { clusterFieldEvidence, hostPort, showcertsCommand } from './webhook-evidence.js';

/** How Go's client (apimachinery NewGenericServerResponse) words common statuses in the apiserver log. */
const GO_STATUS_TEXT: Record<number, string> = {
  400: 'the server rejected our request for an unknown reason',
  401: 'the server has asked for the client to provide credentials',
  403: 'forbidden',
  404: 'the server could not find the requested resource',
  500: 'an error on the server has prevented the request from succeeding',
  503: 'the server is currently unable to handle the request',
};

function failure(probe: WebhookProbe, rung: Rung): { summary: string; remediation: Remediation } {
  const at = hostPort(probe);
  const server = `${probe.clusterField}.server in ${probe.kubeconfigFile}`;
  switch (rung.error?.kind) {
    case 'no-such-host':
    case 'dns':
      return {
        summary: `${probe.host} does not resolve from this node (${rung.detail}); kube-apiserver logs "dial tcp: lookup ${probe.host}...: no such host"`,
        remediation: {
          text: `Fix the host name in ${server}, or the node's DNS (kube-apiserver runs with the node's resolver).`,
          commands: [`getent hosts ${probe.host}`],
        },
      };
    case 'refused':
      // Go's serial dialer reports the error of the first address it tried, as the probe does.
      return {
        summary: `nothing listens on ${at}; kube-apiserver logs "dial tcp ${probe.probe.addresses[0]}:${probe.port}: connect: connection refused"`,
        remediation: {
          text: `Check the port in ${server} (self-hosted consoles listen on 8083) and that the console is running.`,
          commands: [`nc -vz ${probe.host} ${probe.port}`],
        },
      };
    case 'plain-http':
      return {
        summary: `${at} speaks plain HTTP but ${probe.clusterField}.server says https://; kube-apiserver logs "http: server gave HTTP response to HTTPS client"`,
        remediation: {
          text: `Use the console's HTTPS port in ${server}, or switch the scheme only if the endpoint is meant to be plain HTTP.`,
          commands: [`curl -sv http://${at}/ -o /dev/null`],
        },
      };
    case 'timeout':
      return {
        summary: `${rung.name === 'tcp' ? 'TCP connect to' : rung.name === 'tls' ? 'TLS handshake with' : 'HTTP POST to'} ${at} timed out (${rung.detail})`,
        remediation: {
          text:
            'Packets are dropped or the server hangs: check firewalls and security groups between this node and the console, and the port in ' +
            server +
            '.',
          commands: [`nc -vz -w 5 ${probe.host} ${probe.port}`],
        },
      };
    case 'http-status': {
      const status = Number(rung.error.code);
      return {
        summary: `POST ${probe.url} answered HTTP ${status}; kube-apiserver counts it as a failed delivery ("${GO_STATUS_TEXT[status] ?? `HTTP ${status}`}")`,
        remediation: {
          text:
            status === 404
              ? `The webhook path is wrong: ${server} must end in /api/v1/kubernetes/webhook/<webhookUrlSuffix> from GET /api/v1/settings/kubernetes-audit (SaaS: keep the tenant segment).`
              : `The console refused the batch; check that Kubernetes auditing is enabled in Defend > Access > Kubernetes and the URL suffix in ${server} is current.`,
          commands: [
            `curl -sS -X POST -H 'Content-Type: application/json' -d '{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[]}' '${probe.url}' -w '\\nHTTP %{http_code}\\n'`,
          ],
        },
      };
    }
    default:
      return {
        summary: `${rung.name.toUpperCase()} step to ${at} failed: ${rung.detail}`,
        remediation: { text: `Check the endpoint named in ${server}.`, commands: rung.name === 'tls' ? [showcertsCommand(probe)] : [] },
      };
  }
}

function proxyWarning(probe: WebhookProbe): string | null {
  const decision = proxyFor(new URL(probe.url), probe.proxy.env, probe.proxy.kubeconfigProxyUrl);
  if (!decision) return null;
  const from =
    decision.source === 'proxy-url'
      ? `${probe.clusterField}.proxy-url in ${probe.kubeconfigFile}`
      : `${decision.source} in the kube-apiserver container's env`;
  return `kube-apiserver would send the webhook through proxy ${decision.proxy} (from ${from}); this probe connected directly, so the proxy path is untested`;
}

export const webhookReachable: Check = {
  id: 'webhook-reachable',
  title: 'Webhook endpoint accepts an audit batch',
  reads: 'the webhook kubeconfig server URL, the kube-apiserver container env (proxies), and a live POST of an empty EventList',
  needs: ['webhookProbe'],
  network: true,
  explain: {
    why: 'In batch mode kube-apiserver keeps running when the webhook fails; the only sign is "Error in audit plugin \'webhook\'" in its log. Name resolution, firewalls, a wrong port, plain HTTP on an https URL or a wrong webhook path all lose every event silently.',
    detect:
      'Resolves the host, connects, handshakes, then POSTs {"kind":"EventList",...} to the exact URL the apiserver uses (path kept, query dropped, ?timeout=30s when client-go adds it); any non-2xx status is a failed delivery.',
    fix: 'Follow the failing rung: DNS, port, firewall, scheme, or the webhook path/suffix from the console.',
  },
  evaluate(facts: FactReader): Finding {
    const probe = facts.get('webhookProbe');
    const evidence: Evidence[] = [
      clusterFieldEvidence(probe, 'server', probe.server, { actual: `POST ${probe.url}` }),
      ...probe.probe.rungs.map((r) => ({
        message: `${r.name}: ${r.ok ? 'ok' : (r.error?.kind ?? 'failed')} in ${r.durationMs} ms: ${r.detail}`,
      })),
    ];
    if (probe.probe.http) evidence.push({ message: `response body (first 200 chars): ${probe.probe.http.bodyExcerpt || '(empty)'}` });
    const node = probe.probe.nodeVerification;
    if (node) {
      evidence.push({
        message: `for contrast, Node/OpenSSL with the same anchors ${node.authorized ? 'trusts' : `rejects (${node.error})`} the chain; kube-apiserver's Go verdict is webhook-tls-chain's`,
      });
    }
    const proxy = proxyWarning(probe);
    if (proxy) evidence.push({ message: proxy });
    const stopped = probe.probe.rungs.find((r) => !r.ok);
    if (stopped) {
      const { summary, remediation } = failure(probe, stopped);
      return { status: 'fail', summary: proxy ? `${summary} (note: ${proxy})` : summary, evidence, remediation };
    }
    const status = probe.probe.http?.status;
    if (proxy) {
      return {
        status: 'warn',
        summary: `POST ${probe.url} answered HTTP ${status} directly, but ${proxy}`,
        evidence,
        remediation: {
          text: `Add ${probe.host} to NO_PROXY in the kube-apiserver manifest's env (or remove proxy-url), or make sure the proxy allows it; then restart kube-apiserver.`,
        },
      };
    }
    return {
      status: 'pass',
      summary: `POST ${probe.url} answered HTTP ${status} (whether kube-apiserver trusts the certificate is webhook-tls-chain's verdict)`,
      evidence,
    };
  },
};

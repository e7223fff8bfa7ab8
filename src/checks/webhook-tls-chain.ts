// webhook-tls-chain: would kube-apiserver (Go crypto/x509) accept the chain the webhook endpoint
// presents, with the trust anchors the webhook kubeconfig gives it? Node's verdict is not used:
// OpenSSL and Go disagree on partial chains and on intermediates as anchors.
import type { Check, FactReader } from './check.js';
import type { Evidence, Finding } from '../model/report.js';
import type { WebhookProbe } from '../model/facts.js';
import { parseCertList, summarizeCert } from '../tls/certificate.js';
import { goRules } from '../tls/go-rules.js';
import { weakSignature } from '../tls/signature-algorithm.js';
import { verifyChain } from '../tls/verify.js';
import { isSaasHost } from '../parse/webhook-url.js';
import { describeCert, clusterFieldEvidence, hostPort, showcertsCommand } from './webhook-evidence.js';
import { chainRemediation, rebuildPin, trustField } from './webhook-tls-remedies.js';

function trustEvidence(probe: WebhookProbe): Evidence[] {
  const { trust } = probe;
  if (trust.source === 'system') {
    return [
      clusterFieldEvidence(
        probe,
        'certificate-authority-data',
        `not set, so the anchors are the ${trust.anchors.length} system roots from ${trust.origin}`,
      ),
    ];
  }
  const where = trust.source === 'ca-file' ? `file ${trust.origin}` : 'the kubeconfig';
  return [
    clusterFieldEvidence(
      probe,
      trustField(probe),
      `${trust.anchors.length} certificate(s) in ${where}; Go treats every one as a trust anchor`,
    ),
    ...parseCertList(trust.anchors).map((c, i) => ({ message: describeCert(`anchor #${i + 1}`, summarizeCert(c)) })),
  ];
}

function chainEvidence(presented: string[]): Evidence[] {
  return parseCertList(presented).map((c, i) => ({
    message: describeCert(`presented #${i + 1}${i === 0 ? ' (leaf)' : ''}`, summarizeCert(c)),
  }));
}

function judge(probe: WebhookProbe, presented: string[], now: Date): Finding {
  const go = goRules(probe.kubernetesVersion);
  const verdict = verifyChain({
    presented,
    anchors: probe.trust.anchors,
    serverName: probe.serverName,
    now,
    refuseSha1: go.refuseSha1,
    go,
  });
  const evidence = [...chainEvidence(presented), ...trustEvidence(probe), { message: `judged with the rules of Go ${go.go}: ${go.why}` }];
  if (parseCertList(presented).some((c) => weakSignature(c)?.sha1)) {
    evidence.push({
      message: `a presented certificate is SHA-1 signed; Go ${go.go} ${go.refuseSha1 ? 'refuses' : 'still accepts'} SHA-1 signatures`,
    });
  }
  if (!verdict.ok) {
    if (verdict.incompleteChain)
      evidence.unshift({ message: `the leaf's issuer ${verdict.missingIssuer} is neither sent by the server nor in the CA data` });
    evidence.unshift({
      message: `kube-apiserver logs: Error in audit plugin 'webhook' affecting N audit events: Post "${probe.url}": ${verdict.error}`,
    });
    return {
      status: 'fail',
      summary: `kube-apiserver will reject the certificate of ${hostPort(probe)} (${probe.clusterField}.server in ${probe.kubeconfigFile}): ${verdict.error}`,
      evidence,
      remediation: chainRemediation(probe, verdict, presented),
    };
  }
  evidence.unshift({
    message: describeCert('path ends at anchor', verdict.anchor!),
    actual: `${verdict.path.length} certificate(s) on the verified path`,
  });
  const warnings: string[] = verdict.expiringSoon.map((e) => `${e.cert.subject} expires in ${e.daysLeft} day(s) (${e.cert.notAfter})`);
  if (probe.trust.source !== 'system' && isSaasHost(probe.host)) {
    warnings.push(
      `${probe.host} is a Prisma Cloud SaaS console with a publicly trusted certificate, but ${probe.clusterField}.${trustField(probe)} replaces the system roots with a pin that will break on the console's next certificate rotation`,
    );
  }
  if (probe.trust.problem) warnings.push(probe.trust.problem);
  if (warnings.length === 0)
    return { status: 'pass', summary: `the chain from ${hostPort(probe)} verifies as kube-apiserver verifies it`, evidence };
  return {
    status: 'warn',
    summary: `the chain verifies today, but ${warnings.join('; ')}`,
    evidence,
    remediation: {
      text:
        isSaasHost(probe.host) && probe.trust.source !== 'system'
          ? `Remove ${trustField(probe)} from ${probe.clusterField} in ${probe.kubeconfigFile} so the system roots are used, then restart kube-apiserver.`
          : 'Renew the expiring certificate before it lapses; if it is the pinned CA, update the pin at the same time and restart kube-apiserver.',
    },
  };
}

export const webhookTlsChain: Check = {
  id: 'webhook-tls-chain',
  title: 'Webhook TLS chain verifies as kube-apiserver (Go) verifies it',
  reads: 'the webhook kubeconfig (server, certificate-authority(-data), tls-server-name) and the chain the live endpoint presents',
  needs: ['webhookProbe'],
  network: true,
  explain: {
    why: 'kube-apiserver verifies the webhook with Go crypto/x509, which trusts only the configured anchors (any certificate in certificate-authority-data, even an intermediate or the leaf), never fetches missing intermediates and ignores the Common Name. A chain that works in a browser or curl can still fail every audit batch.',
    detect:
      "Connects to the endpoint, records the presented chain, and verifies it with a port of Go's Verify: anchors, intermediates from the server only, hostname from the URL or tls-server-name, validity and serverAuth usage.",
    fix: 'Rebuild certificate-authority-data from the anchor the live chain needs (openssl s_client -showcerts, base64 -w0), make the server send its full chain, or reissue the certificate with the right SANs.',
  },
  evaluate(facts: FactReader): Finding {
    const probe = facts.get('webhookProbe');
    if (probe.scheme === 'http') {
      return {
        status: 'skip',
        summary: `${probe.clusterField}.server is plain http://, so there is no TLS to verify and audit events travel unencrypted (webhook-url judges the URL itself)`,
        evidence: [clusterFieldEvidence(probe, 'server', probe.server)],
      };
    }
    if (probe.insecureSkipTLSVerify && probe.trust.source !== 'system') {
      return {
        status: 'skip',
        summary: `${probe.kubeconfigFile} sets insecure-skip-tls-verify together with a CA, which kube-apiserver refuses at startup; webhook-config-valid reports it`,
        evidence: [clusterFieldEvidence(probe, 'insecure-skip-tls-verify', 'true')],
      };
    }
    if (probe.insecureSkipTLSVerify) {
      return {
        status: 'warn',
        summary: 'insecure-skip-tls-verify: true: kube-apiserver accepts any certificate from the webhook endpoint',
        evidence: [clusterFieldEvidence(probe, 'insecure-skip-tls-verify', 'true')],
        remediation: {
          text: `Remove insecure-skip-tls-verify and set ${probe.clusterField}.certificate-authority-data to the console's CA (or nothing, for a publicly trusted console).`,
          commands: [showcertsCommand(probe)],
        },
      };
    }
    const presented = probe.probe.presented;
    if (!presented || presented.length === 0) {
      const stopped = probe.probe.rungs.find((r) => !r.ok);
      return {
        status: 'unknown',
        summary: `could not get the certificate chain from ${hostPort(probe)}: ${stopped ? `${stopped.name} failed: ${stopped.detail}` : 'no certificate was presented'}`,
        evidence: [clusterFieldEvidence(probe, 'server', probe.server)],
        remediation: {
          text: 'See webhook-reachable for why the endpoint could not be reached; the chain is judged once a TLS handshake succeeds.',
        },
      };
    }
    if (probe.trust.anchors.length === 0) {
      return {
        status: 'fail',
        summary: `kube-apiserver has no usable trust anchor for the webhook in ${probe.kubeconfigFile}: ${probe.trust.problem ?? 'no certificate found'}`,
        evidence: [...trustEvidence(probe), ...chainEvidence(presented)],
        remediation: rebuildPin(probe, presented),
      };
    }
    return judge(probe, presented, facts.now);
  },
};

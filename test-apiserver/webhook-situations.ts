// The TLS and HTTP situations a webhook kubeconfig can meet, each with the Go error a failing one
// logs: run through a real kube-apiserver 1.20.2 (webhook-tls.apiserver.ts) and through Kubernetes
// 1.36's webhook code (test-versions/webhook-tls.versions.ts).
import { closedPort, httpReceiver, httpsReceiver, type Receiver } from '../test/helpers/https-server.js';
import { daysFromNow, issue, makeChain, type Chain } from '../test/helpers/pki.js';
import { webhookReachable } from '../src/checks/webhook-reachable.js';
import { webhookTlsChain } from '../src/checks/webhook-tls-chain.js';
import { evaluateSafely } from '../src/checks/run.js';
import type { Finding } from '../src/model/report.js';
import type { WebhookProbe } from '../src/model/facts.js';
import { collectWebhookProbe, type WebhookKubeconfig } from '../test/helpers/webhook-facts.js';

export interface Situation {
  name: string;
  /** Starts the receiver (if any) and returns the webhook kubeconfig pointing at it. */
  setup(): Promise<{ receiver: Receiver | null; kubeconfig: WebhookKubeconfig }>;
  /** The Go error the apiserver is expected to log, when it fails (checked against our text too). */
  goError?: string;
  /** The version the doctor is told. The binary is 1.20.2 built with Debian's Go 1.19, while
   * official 1.20 builds use Go 1.15; for Go-version rules (SHA-1) the doctor is told a version
   * whose official Go matches this binary's. */
  doctorVersion?: string;
}

let chain: Chain;
let other: Chain;
let lookalike: Chain;

/** Makes the chains the situations serve; call once (beforeAll) before any setup(). */
export function makeSituationChains(): void {
  chain = makeChain({ leaf: { dnsNames: ['localhost'], ips: ['127.0.0.1'] } });
  other = makeChain({ name: 'Other' });
  lookalike = makeChain();
}
/** The chain the situations serve (root -> intermediate -> leaf for 127.0.0.1 and localhost). */
export const situationChain = (): Chain => chain;
export const path = '/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=';
export const url = (scheme: string, port: number) => `${scheme}://127.0.0.1:${port}${path}`;
export const served =
  (certs: () => string[], key: () => string, status = 200) =>
  async (ca: () => string, extra: Partial<WebhookKubeconfig> = {}) => {
    const receiver = await httpsReceiver(certs(), key(), { status });
    return { receiver, kubeconfig: { server: url('https', receiver.port), caPem: ca(), ...extra } };
  };
const fullChain = served(
  () => [chain.leaf.cert, chain.intermediate.cert],
  () => chain.leaf.key.privateKeyPem,
);
const leafOnly = served(
  () => [chain.leaf.cert],
  () => chain.leaf.key.privateKeyPem,
);
function odd(leafOpts: Parameters<typeof issue>[0]) {
  return async (extra: Partial<WebhookKubeconfig> = {}) => {
    const leaf = issue(leafOpts, chain.intermediate);
    return served(
      () => [leaf.cert, chain.intermediate.cert],
      () => leaf.key.privateKeyPem,
    )(() => chain.root.cert, extra);
  };
}

export const SITUATIONS: Situation[] = [
  { name: 'CA data = root, full chain', setup: () => fullChain(() => chain.root.cert) },
  { name: 'CA data = intermediate, full chain', setup: () => fullChain(() => chain.intermediate.cert) },
  { name: 'CA data = the leaf itself', setup: () => fullChain(() => chain.leaf.cert) },
  {
    name: 'CA data = unrelated root',
    setup: () => fullChain(() => other.root.cert),
    goError: 'x509: certificate signed by unknown authority',
  },
  {
    name: 'CA data = a root with the same name but another key',
    setup: () => fullChain(() => lookalike.root.cert),
    goError:
      'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "Test Root CA")',
  },
  {
    name: 'no CA data: system roots, private CA',
    setup: async () => {
      const { receiver, kubeconfig } = await fullChain(() => '');
      return { receiver, kubeconfig: { server: kubeconfig.server } };
    },
    goError: 'x509: certificate signed by unknown authority',
  },
  {
    name: 'expired intermediate',
    setup: async () => {
      const expired = makeChain({ name: 'Lapsed', intermediate: { notBefore: daysFromNow(-60), notAfter: daysFromNow(-1) } });
      return served(
        () => [expired.leaf.cert, expired.intermediate.cert],
        () => expired.leaf.key.privateKeyPem,
      )(() => expired.root.cert);
    },
    goError: 'x509: certificate has expired or is not yet valid: current time',
  },
  {
    name: 'leaf only, CA data = root (incomplete chain)',
    setup: () => leafOnly(() => chain.root.cert),
    goError: 'x509: certificate signed by unknown authority',
  },
  { name: 'leaf only, CA data = intermediate', setup: () => leafOnly(() => chain.intermediate.cert) },
  {
    name: 'tls-server-name not in the SANs',
    setup: () => fullChain(() => chain.root.cert, { tlsServerName: 'console.example.com' }),
    goError: 'x509: certificate is valid for localhost, not console.example.com',
  },
  {
    name: 'IP host, certificate without IP SANs',
    setup: odd({ commonName: 'console', dnsNames: ['console.example.com'], extKeyUsage: ['serverAuth'] }),
    goError: "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs",
  },
  {
    name: 'CN-only certificate',
    setup: odd({ commonName: '127.0.0.1', extKeyUsage: ['serverAuth'] }),
    goError: 'x509: certificate relies on legacy Common Name field, use SANs instead',
  },
  {
    name: 'expired leaf',
    setup: odd({ commonName: 'old', ips: ['127.0.0.1'], notBefore: daysFromNow(-60), notAfter: daysFromNow(-1) }),
    goError: 'x509: certificate has expired or is not yet valid: current time',
  },
  {
    name: 'leaf expiring in 10 days (warn, still delivers)',
    setup: odd({ commonName: 'soon', ips: ['127.0.0.1'], notAfter: daysFromNow(10) }),
  },
  {
    name: 'SHA-1 signed leaf (Go 1.19 refuses it)',
    setup: async () => {
      const leaf = issue(
        { commonName: 'sha1', ips: ['127.0.0.1'], extKeyUsage: ['serverAuth'], signatureHash: 'sha1' },
        chain.intermediate,
      );
      const receiver = await httpsReceiver([leaf.cert, chain.intermediate.cert], leaf.key.privateKeyPem, { weakSignatures: true });
      return { receiver, kubeconfig: { server: url('https', receiver.port), caPem: chain.root.cert } };
    },
    goError: 'insecure algorithm SHA1-RSA (temporarily override with GODEBUG=x509sha1=1)',
    doctorVersion: '1.24.0',
  },
  {
    // What fix pins when no CA fits: Go takes a pooled leaf as the whole chain and checks no
    // signature, so the SHA-1 signature on it does not matter.
    name: 'SHA-1 signed leaf, CA data = that leaf itself (delivers)',
    setup: async () => {
      const leaf = issue(
        { commonName: 'sha1', ips: ['127.0.0.1'], extKeyUsage: ['serverAuth'], signatureHash: 'sha1' },
        chain.intermediate,
      );
      const receiver = await httpsReceiver([leaf.cert, chain.intermediate.cert], leaf.key.privateKeyPem, { weakSignatures: true });
      return { receiver, kubeconfig: { server: url('https', receiver.port), caPem: leaf.cert } };
    },
    doctorVersion: '1.24.0',
  },
  {
    name: 'leaf with clientAuth EKU only',
    setup: odd({ commonName: 'client', ips: ['127.0.0.1'], extKeyUsage: ['clientAuth'] }),
    goError: 'x509: certificate specifies an incompatible key usage',
  },
  {
    name: 'plain http:// URL',
    setup: async () => {
      const receiver = await httpReceiver();
      return { receiver, kubeconfig: { server: url('http', receiver.port) } };
    },
  },
  {
    name: 'plain HTTP server behind an https:// URL',
    setup: async () => {
      const receiver = await httpReceiver();
      return { receiver, kubeconfig: { server: url('https', receiver.port), caPem: chain.root.cert } };
    },
    goError: 'http: server gave HTTP response to HTTPS client',
  },
  {
    name: 'closed port',
    setup: async () => ({ receiver: null, kubeconfig: { server: url('https', await closedPort()), caPem: chain.root.cert } }),
    goError: 'connect: connection refused',
  },
  {
    name: 'webhook answers 404',
    setup: () =>
      served(
        () => [chain.leaf.cert, chain.intermediate.cert],
        () => chain.leaf.key.privateKeyPem,
        404,
      )(() => chain.root.cert),
    goError: 'the server could not find the requested resource',
  },
];

/** What the doctor says about a webhook kubeconfig: the collector and both network checks, called
 * directly until the CLI is in this branch (then: write the kubeconfig under a fake --root with a
 * manifest naming it, run `node dist/cli.js doctor --root R --only webhook-tls-chain,webhook-reachable
 * --json`, and read the two checks and the POST URL from the report). root '/': the apiserver
 * runs on this host, so its system roots are this host's. */
export async function doctor(
  kubeconfig: WebhookKubeconfig,
  kubernetesVersion = '1.20.2',
): Promise<{ probe: WebhookProbe; findings: Finding[] }> {
  const probe = await collectWebhookProbe(kubeconfig, { root: '/', kubernetesVersion });
  const findings = [webhookTlsChain, webhookReachable].map((check) =>
    evaluateSafely(check, { webhookProbe: { ok: true, value: probe } }, new Date()),
  );
  return { probe, findings };
}

/** The doctor's verdict: deliverable when neither network check fails or cannot look. */
export const deliverable = (findings: Finding[]) =>
  findings.every((f) => f.status === 'pass' || f.status === 'warn' || f.status === 'skip');

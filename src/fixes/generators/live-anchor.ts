// The trust anchor for the webhook kubeconfig, read from the chain the console presents now. Go
// accepts any certificate in the pool as an anchor, so the highest presented certificate the chain
// verifies to is a working pin: the root when the server sends it, else its top intermediate, else
// the console certificate itself (what the vendor guide pins). Pure: the probe recorded the chain.
import type { X509Certificate } from 'node:crypto';
import { parseCertList, summarizeCert } from '../../tls/certificate.js';
import { verifyChain, type ChainVerdict } from '../../tls/verify.js';

export interface LiveChain {
  /** host:port the chain was read from. */
  endpoint: string;
  /** The name Go verifies: tls-server-name, else the URL host. */
  serverName: string;
  /** PEM of each certificate the server presented, leaf first. */
  presented: string[];
  /** Go >= 1.18 (Kubernetes >= 1.24) refuses SHA-1 signatures. */
  refuseSha1: boolean;
  /** The anchors the current webhook kubeconfig gives kube-apiserver (CA data, CA file or system
   * roots), when they were loaded for this same endpoint. */
  currentAnchors: string[] | null;
}

export interface LiveAnchor {
  pem: string;
  /** What the description tells the user: which certificate, its fingerprint, and any caveat. */
  why: string;
}

export function judgeAnchors(live: LiveChain, anchors: string[], now: Date): ChainVerdict {
  return verifyChain({ presented: live.presented, anchors, serverName: live.serverName, now, refuseSha1: live.refuseSha1 });
}

/** The chain builds up to these anchors. A wrong name or an expired leaf is another problem, one no
 * CA data changes, so it does not count against them. */
export function anchorsFit(live: LiveChain, anchors: string[], now: Date): boolean {
  const verdict = judgeAnchors(live, anchors, now);
  return verdict.ok || verdict.reason !== 'unknown-authority';
}

const selfSigned = (c: X509Certificate) => c.subject === c.issuer;

/** What pinning the certificate at `i` means for the user. */
function role(certs: X509Certificate[], i: number): string {
  const cert = certs[i]!;
  if (i > 0 && selfSigned(cert)) return 'the self-signed root CA it sends';
  if (i > 0)
    return 'the topmost intermediate CA it sends. The server does not send its root, so this pin breaks when the intermediate is replaced; pass --ca-file with the root CA to pin that instead';
  if (selfSigned(cert)) return "the console's self-signed certificate itself: update the pin whenever that certificate is renewed";
  return `the console's own certificate, as the vendor guide pins it. The server does not send its CA (${summarizeCert(cert).issuer}), so this pin breaks when the certificate is renewed; pass --ca-file with that CA for a pin that survives renewal`;
}

/** The anchor to pin: the highest presented certificate the chain verifies to, so the pin lasts
 * as long as it can. Go takes a pooled leaf as the whole chain, so the leaf always anchors it. */
export function liveAnchor(live: LiveChain, now: Date): LiveAnchor {
  const certs = parseCertList(live.presented);
  let i = certs.length - 1;
  while (i > 0 && !anchorsFit(live, [live.presented[i]!], now)) i--;
  const cert = certs[i]!;
  return {
    pem: live.presented[i]!,
    why: `CA data from the chain ${live.endpoint} presents: ${summarizeCert(cert).subject}, SHA-256 ${cert.fingerprint256}, ${role(certs, i)}. Compare the fingerprint with the console's certificate (Manage > Authentication > System certificates) before applying`,
  };
}

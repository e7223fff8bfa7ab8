// What to do about a chain kube-apiserver rejects, per Go failure reason: concrete kubeconfig
// fields, files and commands (openssl s_client -showcerts, base64 -w0). Pure.
import type { Remediation } from '../model/report.js';
import type { WebhookProbe } from '../model/facts.js';
import { parseCertList, summarizeCert } from '../tls/certificate.js';
import type { ChainVerdict } from '../tls/verify.js';
import { showcertsCommand } from './webhook-evidence.js';

/** The kubeconfig field that holds (or, for system roots, would hold) the trust anchors. */
export function trustField(probe: WebhookProbe): string {
  return probe.trust.source === 'ca-file' ? 'certificate-authority' : 'certificate-authority-data';
}

/** How to rebuild the pin from the live chain: the top-most presented certificate is the anchor
 * the chain needs (Go accepts an intermediate there too). A CA file gets the PEM itself; CA data
 * gets it as one base64 line. */
export function rebuildPin(probe: WebhookProbe, presented: string[]): Remediation {
  const certs = parseCertList(presented);
  const top = certs[certs.length - 1]!;
  const pem = `cert${certs.length}.pem`;
  const inFile = probe.trust.source === 'ca-file';
  const action = inFile
    ? `Replace the certificate-authority file ${probe.trust.origin} (named by ${probe.clusterField}.certificate-authority in ${probe.kubeconfigFile}) with ${pem}`
    : `${probe.trust.source === 'system' ? 'Set' : 'Rebuild'} ${probe.clusterField}.certificate-authority-data in ${probe.kubeconfigFile} from ${pem} (one base64 line)`;
  const which =
    top.subject === top.issuer
      ? 'It is the self-signed root. '
      : 'It is an intermediate: Go accepts it as an anchor, but the pin breaks when it is replaced; use its root CA (Prisma Console: Manage > Authentication > System certificates) if you have it. ';
  return {
    text:
      `${action}: ${summarizeCert(top).subject}, SHA-256 ${top.fingerprint256}, the top of the chain the server presents. ${which}` +
      'Check the fingerprint against the console before trusting it, then restart kube-apiserver (the file is read once at startup).',
    commands: [
      showcertsCommand(probe),
      `openssl x509 -in ${pem} -noout -subject -fingerprint -sha256`,
      ...(inFile ? [] : [`base64 -w0 ${pem}`]),
    ],
    // The fix takes the same anchor from the live chain and writes it as CA data.
    fix: 'webhook-kubeconfig',
  };
}

export function chainRemediation(probe: WebhookProbe, verdict: ChainVerdict, presented: string[]): Remediation {
  const server = `${probe.clusterField}.server in ${probe.kubeconfigFile}`;
  switch (verdict.reason) {
    case 'unknown-authority':
      // Go reports a refused signature algorithm only as the hint of an unknown-authority error.
      if (verdict.error?.includes('insecure algorithm')) {
        return {
          text: 'A certificate on the chain is signed with an algorithm Go refuses (SHA-1 since Go 1.18 / Kubernetes 1.24; MD5 always). Reissue it with a SHA-256 signature. Pinning a CA does not help; only pinning the server certificate itself does (Go then takes it as the whole chain and checks no signature), and that pin breaks when the certificate is renewed.',
          commands: [
            showcertsCommand(probe),
            'for f in cert*.pem; do openssl x509 -in "$f" -noout -subject -text | grep -m1 "Signature Algorithm"; done',
          ],
        };
      }
      if (verdict.incompleteChain) {
        // We cannot tell a missing intermediate from a stale pin: the issuer is simply unknown here.
        return {
          text:
            `The CA that signed the console certificate (${verdict.missingIssuer}) is not in ${probe.clusterField}.certificate-authority-data, ` +
            'and the server does not send it; Go never fetches missing certificates. Put that CA (the root, or the intermediate: Go ' +
            'accepts either as an anchor) in certificate-authority-data, which is also the fix when the console was reinstalled or ' +
            'its certificate re-issued; if it is an intermediate, configuring the console to send its full chain works too.',
          commands: [
            showcertsCommand(probe),
            'base64 -w0 console-ca.pem  # the console CA, from Manage > Authentication > System certificates',
          ],
          // The chain holds no CA to pin: the fix pins the console certificate itself (saying the pin
          // breaks at renewal), or the CA given with --ca-file.
          fix: 'webhook-kubeconfig',
        };
      }
      return rebuildPin(probe, presented);
    case 'hostname':
      return {
        text:
          `The certificate does not name ${probe.serverName}. Point ${server} at a name the certificate covers, or reissue the ` +
          `certificate with a SAN for ${probe.serverName} (Prisma Console: the Subject Alternative Names page), or, if another ` +
          `name legitimately identifies this server, set ${probe.clusterField}.tls-server-name to it.`,
        commands: [showcertsCommand(probe), 'openssl x509 -in cert1.pem -noout -ext subjectAltName'],
      };
    case 'legacy-common-name':
      return {
        text: `The certificate names ${probe.serverName} only in its Common Name; kube-apiserver (Go >= 1.15) ignores the CN. Reissue it with a subjectAltName for ${probe.serverName}.`,
        commands: [showcertsCommand(probe), 'openssl x509 -in cert1.pem -noout -subject -ext subjectAltName'],
      };
    case 'expired':
      return {
        text: `A certificate on the path is outside its validity window. Renew it on the server, or update ${probe.clusterField}.${trustField(probe)} if it is the pinned CA; check the node's clock too.`,
        commands: [showcertsCommand(probe), 'for f in cert*.pem; do openssl x509 -in "$f" -noout -subject -dates; done', 'date -u'],
      };
    case 'incompatible-usage':
      return {
        text: 'A certificate on the path restricts its extended key usage and does not allow serverAuth. Reissue the server certificate (and any restricted CA) with serverAuth.',
        commands: [showcertsCommand(probe)],
      };
    default:
      return {
        text: 'A presented intermediate is not a CA (basicConstraints CA:FALSE) and cannot sign the certificate below it. Serve the right intermediate.',
        commands: [showcertsCommand(probe)],
      };
  }
}

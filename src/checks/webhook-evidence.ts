// Evidence and commands shared by the two webhook network checks, so both point at the same
// kubeconfig field and describe endpoints and certificates the same way. Pure.
import { isIP } from 'node:net';
import type { Evidence } from '../model/report.js';
import type { WebhookProbe } from '../model/facts.js';
import type { CertSummary } from '../tls/certificate.js';

/** Evidence pointing at one field of the webhook kubeconfig's cluster entry (`server`, ...). */
export function clusterFieldEvidence(probe: WebhookProbe, field: string, message: string, extra: Partial<Evidence> = {}): Evidence {
  const path = `${probe.clusterField}.${field}`;
  const line = probe.lines[path];
  return { message: `${path}: ${message}`, file: probe.kubeconfigFile, ...(line ? { line } : {}), ...extra };
}

/** `host:port` as openssl and curl want it (IPv6 in brackets). */
export function hostPort(probe: WebhookProbe): string {
  return `${probe.host.includes(':') ? `[${probe.host}]` : probe.host}:${probe.port}`;
}

export function describeCert(label: string, cert: CertSummary): string {
  const names = [...cert.dnsNames.map((n) => `DNS:${n}`), ...cert.ipAddresses.map((ip) => `IP:${ip}`)];
  return (
    `${label}: subject ${cert.subject}; issuer ${cert.issuer}; SANs ${names.length > 0 ? names.join(', ') : '(none)'}; ` +
    `valid ${cert.notBefore} to ${cert.notAfter}; SHA-256 ${cert.sha256}`
  );
}

/** Splits the live chain into cert1.pem, cert2.pem ... (leaf first), as the apiserver sees it. */
export function showcertsCommand(probe: WebhookProbe): string {
  const sni = isIP(probe.serverName) ? '' : ` -servername ${probe.serverName}`;
  return (
    `openssl s_client -showcerts -connect ${hostPort(probe)}${sni} </dev/null 2>/dev/null | ` +
    `awk '/BEGIN CERTIFICATE/{n++; f=1} f{print > ("cert" n ".pem")} /END CERTIFICATE/{f=0}'`
  );
}

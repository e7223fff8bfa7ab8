// Reading certificates for judging: PEM text in, crypto.X509Certificate objects and plain-JSON
// summaries out. Pure (parsing only). crypto.X509Certificate, not node-forge: forge cannot parse
// ECDSA certificates, and consoles may serve them.
import { X509Certificate } from 'node:crypto';

/** What the evidence shows about one certificate. Plain JSON. */
export interface CertSummary {
  subject: string;
  issuer: string;
  dnsNames: string[];
  ipAddresses: string[];
  notBefore: string;
  notAfter: string;
  sha256: string;
  isCA: boolean;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export interface ParsedBundle {
  certs: X509Certificate[];
  /** PEM blocks that did not parse; Go's AppendCertsFromPEM skips them silently (1.20/1.21). */
  unparsable: number;
}

/** Every certificate in a PEM bundle, in order. */
export function parsePemBundle(pem: string): ParsedBundle {
  const certs: X509Certificate[] = [];
  let unparsable = 0;
  for (const block of pem.match(PEM_BLOCK) ?? []) {
    try {
      certs.push(new X509Certificate(block));
    } catch {
      unparsable++;
    }
  }
  return { certs, unparsable };
}

export function parsePemList(pems: string[]): X509Certificate[] {
  return pems.flatMap((pem) => parsePemBundle(pem).certs);
}

/** Subject/issuer in the one-line `CN=x, O=y` form people compare with openssl output. */
export function oneLineName(name: string): string {
  return name.split('\n').filter(Boolean).reverse().join(', ');
}

/** The first value of an attribute (CN, O) in Node's multi-line distinguished name. */
export function nameAttribute(name: string, attribute: string): string | null {
  for (const line of name.split('\n')) {
    if (line.startsWith(`${attribute}=`)) return line.slice(attribute.length + 1);
  }
  return null;
}

export interface AltNames {
  /** Whether the certificate carries a subjectAltName extension at all (Go's hasSANExtension). */
  present: boolean;
  dnsNames: string[];
  ipAddresses: string[];
}

/** Node prints SANs as `DNS:a, IP Address:1.2.3.4`; values with separators come JSON-quoted. */
export function altNames(cert: X509Certificate): AltNames {
  const raw = cert.subjectAltName;
  const out: AltNames = { present: raw !== undefined, dnsNames: [], ipAddresses: [] };
  for (const entry of (raw ?? '').match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? []) {
    const trimmed = entry.trim();
    const colon = trimmed.indexOf(':');
    if (colon < 0) continue;
    const kind = trimmed.slice(0, colon);
    let value = trimmed.slice(colon + 1);
    if (value.startsWith('"')) value = JSON.parse(value) as string;
    if (kind === 'DNS') out.dnsNames.push(value);
    else if (kind === 'IP Address') out.ipAddresses.push(value);
  }
  return out;
}

export const notBefore = (cert: X509Certificate): Date => new Date(cert.validFrom);
export const notAfter = (cert: X509Certificate): Date => new Date(cert.validTo);

/** Go compares raw DER when it asks whether a pool contains a certificate. */
export function sameCertificate(a: X509Certificate, b: X509Certificate): boolean {
  return a.raw.equals(b.raw);
}

export function summarize(cert: X509Certificate): CertSummary {
  const names = altNames(cert);
  return {
    subject: oneLineName(cert.subject),
    issuer: oneLineName(cert.issuer),
    dnsNames: names.dnsNames,
    ipAddresses: names.ipAddresses,
    notBefore: notBefore(cert).toISOString(),
    notAfter: notAfter(cert).toISOString(),
    sha256: cert.fingerprint256,
    isCA: cert.ca,
  };
}

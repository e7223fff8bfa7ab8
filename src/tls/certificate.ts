// Reading certificates for judging: PEM text in, crypto.X509Certificate objects and plain-JSON
// summaries out. Pure (parsing only). crypto.X509Certificate, not node-forge: forge cannot parse
// ECDSA certificates, and consoles may serve them.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

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

/** The CERTIFICATE blocks of a PEM text, unparsed, in order. */
export const pemBlocks = (pem: string): string[] => pem.match(PEM_BLOCK) ?? [];

/** Every certificate in a PEM bundle, in order. */
export function parsePemBundle(pem: string): ParsedBundle {
  const certs: X509Certificate[] = [];
  let unparsable = 0;
  for (const block of pemBlocks(pem)) {
    try {
      certs.push(new X509Certificate(block));
    } catch {
      unparsable++;
    }
  }
  return { certs, unparsable };
}

/** A certificate as the verifier accepts it: PEM text (one or more blocks) or one DER buffer. */
export type CertInput = string | Buffer;

export function parseCertList(inputs: CertInput[]): X509Certificate[] {
  return inputs.flatMap((input) => (typeof input === 'string' ? parsePemBundle(input).certs : [new X509Certificate(input)]));
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

/** An IP as Go's net.IP.String() prints it (lowercase IPv6 with the longest zero run as `::`,
 * IPv4-mapped as dotted quad), so SANs compare and read as in the apiserver's errors. Node prints
 * IPv6 SANs fully expanded in upper case. */
export function goIpString(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  // An embedded IPv4 tail (::ffff:1.2.3.4) is two 16-bit groups.
  const hexOnly = ip.replace(
    /(\d+)\.(\d+)\.(\d+)\.(\d+)$/,
    (_m, a: string, b: string, c: string, d: string) => `${((+a << 8) | +b).toString(16)}:${((+c << 8) | +d).toString(16)}`,
  );
  const [head, tail] = hexOnly.includes('::') ? hexOnly.split('::') : [hexOnly, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  const groups = [...left, ...zeros, ...right].map((g) => parseInt(g, 16));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
  }
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.length < 2) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
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
    else if (kind === 'IP Address') out.ipAddresses.push(goIpString(value));
  }
  return out;
}

export const notBefore = (cert: X509Certificate): Date => new Date(cert.validFrom);
export const notAfter = (cert: X509Certificate): Date => new Date(cert.validTo);

/** Go compares raw DER when it asks whether a pool contains a certificate. */
export function sameCertificate(a: X509Certificate, b: X509Certificate): boolean {
  return a.raw.equals(b.raw);
}

export function summarizeCert(cert: X509Certificate): CertSummary {
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

// Decodes certificate-authority-data the way client-go does (Go's encoding/base64 StdEncoding on
// the YAML string, then PEM CERTIFICATE blocks). Pure.
import { X509Certificate } from 'node:crypto';

export type CaDecode = { ok: true; bytes: Buffer } | { ok: false; apiserverError: string; offset: number };

/** base64.StdEncoding.DecodeString: \r and \n are skipped, anything else outside the alphabet or
 * wrong padding is "illegal base64 data at input byte N". */
export function decodeGoBase64(text: string): CaDecode {
  let clean = '';
  const positions: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\r' || c === '\n') continue;
    if (!/[A-Za-z0-9+/=]/.test(c)) return { ok: false, offset: i, apiserverError: `illegal base64 data at input byte ${i}` };
    clean += c;
    positions.push(i);
  }
  const pad = clean.indexOf('=');
  const badPad = pad >= 0 && (!/^=+$/.test(clean.slice(pad)) || clean.length - pad > 2);
  if (badPad || clean.length % 4 !== 0) {
    const offset = badPad ? positions[pad]! : text.length;
    return { ok: false, offset, apiserverError: `illegal base64 data at input byte ${offset}` };
  }
  return { ok: true, bytes: Buffer.from(clean, 'base64') };
}

export interface CaCert {
  subject: string;
  issuer: string;
  sans: string | null;
  validFrom: Date;
  validTo: Date;
  fingerprint256: string;
  isCA: boolean;
  selfSigned: boolean;
  /** DER, base64, so the fact stays plain JSON where it is recorded. */
  der: string;
}

export interface PemContents {
  certs: CaCert[];
  /** PEM blocks that are not certificates (a private key here is a leak). */
  otherBlocks: string[];
  /** CERTIFICATE blocks that did not parse. */
  broken: string[];
}

function toCaCert(cert: X509Certificate): CaCert {
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    sans: cert.subjectAltName ?? null,
    validFrom: new Date(cert.validFrom),
    validTo: new Date(cert.validTo),
    fingerprint256: cert.fingerprint256,
    isCA: cert.ca,
    selfSigned: cert.checkIssued(cert),
    der: cert.raw.toString('base64'),
  };
}

export function readPemBlocks(bytes: Buffer): PemContents {
  const text = bytes.toString('latin1');
  const out: PemContents = { certs: [], otherBlocks: [], broken: [] };
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (const m of text.matchAll(re)) {
    if (m[1] !== 'CERTIFICATE') {
      out.otherBlocks.push(m[1]!);
      continue;
    }
    try {
      out.certs.push(toCaCert(new X509Certificate(m[0])));
    } catch (err) {
      out.broken.push(err instanceof Error ? err.message : String(err));
    }
  }
  return out;
}

/** What decoded CA bytes are when they are not PEM: helps explain the mistake. */
export function guessNonPem(bytes: Buffer): 'double-base64' | 'der' | 'empty' | 'unknown' {
  if (bytes.length === 0) return 'empty';
  if (bytes[0] === 0x30 && (bytes[1] === 0x82 || bytes[1] === 0x81)) return 'der';
  const s = bytes.toString('latin1').trim();
  if (/^[A-Za-z0-9+/=\r\n]+$/.test(s) && s.startsWith('LS0t')) return 'double-base64';
  return 'unknown';
}

// Which weak signature algorithm, if any, signed a certificate, by Go's name for it. Node's
// X509Certificate does not expose the algorithm, so the DER is walked just far enough:
// Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE { OID, ... }, ... }.
import type { X509Certificate } from 'node:crypto';

/** DER OID contents (hex) of the algorithms Go refuses or may refuse, with Go's String() names. */
const WEAK: Record<string, { name: string; sha1: boolean }> = {
  '2a864886f70d010102': { name: 'MD2-RSA', sha1: false },
  '2a864886f70d010104': { name: 'MD5-RSA', sha1: false },
  '2a864886f70d010105': { name: 'SHA1-RSA', sha1: true },
  '2a8648ce380403': { name: 'DSA-SHA1', sha1: true },
  '2a8648ce3d0401': { name: 'ECDSA-SHA1', sha1: true },
};

/** Reads a DER tag-length header at `at`; returns where the contents start and end. */
export function header(der: Buffer, at: number): { tag: number; start: number; end: number } {
  const tag = der[at]!;
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i]!;
    start += bytes;
  }
  return { tag, start, end: start + length };
}

export interface WeakSignature {
  /** Go's name for the algorithm (SHA1-RSA ...). */
  name: string;
  /** SHA-1 based: refused by Go >= 1.18 only; MD2/MD5 are refused by every Go. */
  sha1: boolean;
}

export function weakSignature(cert: X509Certificate): WeakSignature | null {
  const der = cert.raw;
  const outer = header(der, 0);
  const tbs = header(der, outer.start);
  const algorithm = header(der, tbs.end);
  const oid = header(der, algorithm.start);
  if (oid.tag !== 0x06) return null;
  return WEAK[der.subarray(oid.start, oid.end).toString('hex')] ?? null;
}

/** Go >= 1.18 refuses SHA-1 signatures; Kubernetes moved to it in 1.24. An unknown version is
 * judged as a current one. */
export function sha1Policy(kubernetesVersion: string | null): { refuse: boolean; why: string } {
  const [major, minor] = (kubernetesVersion ?? '').replace(/^v/, '').split('.').map(Number);
  if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) {
    return {
      refuse: true,
      why: 'the kube-apiserver version is unknown, so it is judged as >= 1.24 (Go >= 1.18), which refuses SHA-1 signatures',
    };
  }
  const refuse = major > 1 || minor >= 24;
  return {
    refuse,
    why: `kube-apiserver ${kubernetesVersion} is built with Go ${refuse ? '>= 1.18, which refuses' : '< 1.18, which still accepts'} SHA-1 signatures`,
  };
}

// The certificate field Go judges and Node's X509Certificate does not expose: the nameConstraints
// extension. Read by walking the DER just far enough. Pure.
import type { X509Certificate } from 'node:crypto';
import { header } from './signature-algorithm.js';

/** The children (tag, start, end of contents) of the constructed element whose contents span [start, end). */
function children(der: Buffer, start: number, end: number): { tag: number; start: number; end: number }[] {
  const out = [];
  for (let at = start; at < end;) {
    const h = header(der, at);
    out.push(h);
    at = h.end;
  }
  return out;
}

/** tbsCertificate's fields, in order. */
function tbsFields(cert: X509Certificate) {
  const der = cert.raw;
  const outer = header(der, 0);
  const tbs = header(der, outer.start);
  return { der, fields: children(der, tbs.start, tbs.end) };
}

export interface NameConstraints {
  permittedDns: string[];
  excludedDns: string[];
  /** "a.b.c.d/n" (IPv4) or the hex of address/mask (IPv6). */
  permittedIps: { ip: Buffer; mask: Buffer }[];
  excludedIps: { ip: Buffer; mask: Buffer }[];
}

const NAME_CONSTRAINTS_OID = Buffer.from('551d1e', 'hex'); // 2.5.29.30

/** The nameConstraints extension (DNS and IP subtrees, the kinds a webhook leaf carries), or null. */
export function nameConstraints(cert: X509Certificate): NameConstraints | null {
  const { der, fields } = tbsFields(cert);
  const exts = fields.find((f) => f.tag === 0xa3);
  if (!exts) return null;
  const list = header(der, exts.start);
  for (const ext of children(der, list.start, list.end)) {
    const parts = children(der, ext.start, ext.end);
    if (!der.subarray(parts[0]!.start, parts[0]!.end).equals(NAME_CONSTRAINTS_OID)) continue;
    const value = parts[parts.length - 1]!;
    const seq = header(der, value.start);
    const out: NameConstraints = { permittedDns: [], excludedDns: [], permittedIps: [], excludedIps: [] };
    for (const subtrees of children(der, seq.start, seq.end)) {
      const permitted = subtrees.tag === 0xa0;
      for (const subtree of children(der, subtrees.start, subtrees.end)) {
        const base = header(der, subtree.start);
        const bytes = der.subarray(base.start, base.end);
        if (base.tag === 0x82) (permitted ? out.permittedDns : out.excludedDns).push(bytes.toString('latin1'));
        if (base.tag === 0x87) {
          const half = bytes.length / 2;
          (permitted ? out.permittedIps : out.excludedIps).push({ ip: bytes.subarray(0, half), mask: bytes.subarray(half) });
        }
      }
    }
    return out;
  }
  return null;
}

/** Go's matchDomainConstraint: "example.com" covers it and its subdomains, ".example.com" only subdomains. */
export function dnsWithin(name: string, constraint: string): boolean {
  const n = name.toLowerCase();
  const c = constraint.toLowerCase();
  if (c === '') return true;
  if (c.startsWith('.')) return n.endsWith(c);
  return n === c || n.endsWith(`.${c}`);
}

export function ipWithin(ip: Buffer, range: { ip: Buffer; mask: Buffer }): boolean {
  if (ip.length !== range.ip.length) return false;
  return ip.every((b, i) => (b & range.mask[i]!) === (range.ip[i]! & range.mask[i]!));
}

/** Go's net.IPNet.String() for the error text: "127.0.0.0/8". */
export function cidr(range: { ip: Buffer; mask: Buffer }): string {
  const bits = [...range.mask].reduce((n, b) => n + b.toString(2).replace(/0/g, '').length, 0);
  const addr = range.ip.length === 4 ? [...range.ip].join('.') : range.ip.toString('hex').replace(/(.{4})(?=.)/g, '$1:');
  return `${addr}/${bits}`;
}

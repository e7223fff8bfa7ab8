// Judges a presented TLS chain the way kube-apiserver's Go crypto/tls + crypto/x509 will: the leaf is
// the first presented certificate, the other presented certificates are the only intermediates
// (nothing is fetched), and every certificate in the trust pool is an anchor, even an intermediate or
// the leaf itself. Ported from go/src/crypto/x509/verify.go (Verify, buildChains, isValid,
// checkChainForKeyUsage) so the error texts are the ones the apiserver logs. Pure.
import type { X509Certificate } from 'node:crypto';
import {
  nameAttribute,
  notAfter,
  notBefore,
  oneLineName,
  parseCertList,
  sameCertificate,
  summarizeCert,
  type CertInput,
  type CertSummary,
} from './certificate.js';
import { verifyHostname } from './hostname.js';
import { cidr, dnsWithin, ipWithin, nameConstraints } from './der-fields.js';
import type { GoRules } from './go-rules.js';
import { weakSignature } from './signature-algorithm.js';

export interface VerifyInput {
  /** Each certificate the server presented (PEM or DER), in the order it sent them. */
  presented: CertInput[];
  /** Each trust anchor (CA data, CA file or the system roots), PEM or DER. */
  anchors: CertInput[];
  /** The name Go verifies: tls-server-name, else the URL host (a name or an IP). */
  serverName: string;
  now: Date;
  /** Go >= 1.18 (Kubernetes >= 1.24) refuses SHA-1 signatures; older builds accept them. */
  refuseSha1: boolean;
  /** The other rules of the apiserver's Go (go-rules.ts); Go 1.19's when absent. */
  go?: Pick<GoRules, 'wrapVerifyErrors' | 'sha1OverrideHint'>;
}

export type VerdictReason =
  | 'ok'
  | 'no-chain'
  | 'expired'
  | 'hostname'
  | 'legacy-common-name'
  | 'unknown-authority'
  | 'incompatible-usage'
  | 'not-authorized-to-sign'
  | 'name-constraints';

export interface ExpiringCert {
  cert: CertSummary;
  daysLeft: number;
}

export interface ChainVerdict {
  ok: boolean;
  reason: VerdictReason;
  /** Go's error text, as in `Post "...": <error>`; null when ok. */
  error: string | null;
  /** The leaf's issuer is neither presented nor an anchor: the server must send its intermediate. */
  incompleteChain: boolean;
  /** The issuer name the server failed to send, when incompleteChain. */
  missingIssuer: string | null;
  /** The verified path, leaf first, anchor last; empty when verification failed. */
  path: CertSummary[];
  /** Where the path ended: the anchor it reached. */
  anchor: CertSummary | null;
  /** Certificates on the verified path that expire within EXPIRY_WARNING_DAYS. */
  expiringSoon: ExpiringCert[];
}

export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const OID_ANY_EKU = '2.5.29.37.0';
/** Go still accepts the old Server Gated Crypto usages as serverAuth. */
const OID_SGC = ['2.16.840.1.113730.4.1', '1.3.6.1.4.1.311.10.3.3'];

type CertType = 'intermediate' | 'root';

interface Failure {
  reason: VerdictReason;
  error: string;
}

/** Go formats times in these errors with time.RFC3339, to the second. */
const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The leaf's (and every chain certificate's) SANs as Go's forEachSAN sees them, in order. */
type San = { kind: 'DNS name' | 'IP address'; name: string };
function sans(chain: X509Certificate[]): San[] {
  return chain.flatMap((c) =>
    (c.subjectAltName ?? '').split(', ').flatMap((entry): San[] => {
      if (entry.startsWith('DNS:')) return [{ kind: 'DNS name', name: entry.slice(4) }];
      if (entry.startsWith('IP Address:')) return [{ kind: 'IP address', name: entry.slice(11) }];
      return [];
    }),
  );
}

const ipBytes = (ip: string): Buffer => Buffer.from(ip.includes(':') ? [] : ip.split('.').map(Number));

/** Go's checkNameConstraints for a CA candidate over the names of the chain below it. */
function nameConstraintFailure(ca: X509Certificate, chain: X509Certificate[]): Failure | null {
  const nc = nameConstraints(ca);
  if (!nc) return null;
  const fail = (detail: string): Failure => ({
    reason: 'name-constraints',
    error: `x509: a root or intermediate certificate is not authorized to sign for this name: ${detail}`,
  });
  for (const { kind, name } of sans(chain)) {
    if (kind === 'DNS name') {
      const excluded = nc.excludedDns.find((c) => dnsWithin(name, c));
      if (excluded !== undefined) return fail(`DNS name ${JSON.stringify(name)} is excluded by constraint ${JSON.stringify(excluded)}`);
      if (nc.permittedDns.length > 0 && !nc.permittedDns.some((c) => dnsWithin(name, c)))
        return fail(`DNS name ${JSON.stringify(name)} is not permitted by any constraint`);
    } else {
      const ip = ipBytes(name);
      const excluded = nc.excludedIps.find((c) => ipWithin(ip, c));
      if (excluded) return fail(`IP address ${JSON.stringify(name)} is excluded by constraint ${JSON.stringify(cidr(excluded))}`);
      if (nc.permittedIps.length > 0 && !nc.permittedIps.some((c) => ipWithin(ip, c)))
        return fail(`IP address ${JSON.stringify(name)} is not permitted by any constraint`);
    }
  }
  return null;
}

/** Go's isValid: validity window on every certificate, CA bit on intermediates, name constraints of
 * CAs over the chain below them. */
function isValid(cert: X509Certificate, type: CertType | 'leaf', now: Date, chain: X509Certificate[] = []): Failure | null {
  const prefix = 'x509: certificate has expired or is not yet valid: ';
  if (now < notBefore(cert)) {
    return { reason: 'expired', error: `${prefix}current time ${rfc3339(now)} is before ${rfc3339(notBefore(cert))}` };
  }
  if (now > notAfter(cert)) {
    return { reason: 'expired', error: `${prefix}current time ${rfc3339(now)} is after ${rfc3339(notAfter(cert))}` };
  }
  if (type === 'intermediate' && !cert.ca) {
    return { reason: 'not-authorized-to-sign', error: 'x509: certificate is not authorized to sign other certificates' };
  }
  return type === 'leaf' ? null : nameConstraintFailure(cert, chain);
}

const CANNOT_SIGN = 'x509: invalid signature: parent certificate cannot sign this kind of certificate';

/** Go's CheckSignatureFrom: the parent must be a CA allowed to sign certificates, and the
 * signature must verify. Returns the Go error text, or null. Once the signature verifies,
 * checkIssued can only fail on the keyCertSign key usage, which Go enforces too. */
function signatureError(child: X509Certificate, parent: X509Certificate, refuseSha1: boolean, overrideHint: boolean): string | null {
  if (!parent.ca) return CANNOT_SIGN;
  const weak = weakSignature(child);
  if (weak && (!weak.sha1 || refuseSha1)) {
    // Go only suggests the override for the two SHA-1 algorithms it once had a GODEBUG for.
    const hinted = overrideHint && (weak.name === 'SHA1-RSA' || weak.name === 'ECDSA-SHA1');
    const override = hinted ? ' (temporarily override with GODEBUG=x509sha1=1)' : '';
    return `x509: cannot verify signature: insecure algorithm ${weak.name}${override}`;
  }
  if (!child.verify(parent.publicKey)) {
    return parent.publicKey.asymmetricKeyType === 'ec' ? 'x509: ECDSA verification failure' : 'crypto/rsa: verification error';
  }
  return child.checkIssued(parent) ? null : CANNOT_SIGN;
}

/** Go's findPotentialParents: pool entries whose subject is the child's issuer. */
const potentialParents = (pool: X509Certificate[], child: X509Certificate) => pool.filter((c) => c.subject === child.issuer);

/** Go's alreadyInChain: same subject, same key and same SANs. */
function alreadyInChain(candidate: X509Certificate, chain: X509Certificate[]): boolean {
  return chain.some(
    (c) => c.subject === candidate.subject && c.publicKey.equals(candidate.publicKey) && c.subjectAltName === candidate.subjectAltName,
  );
}

/** Go's UnknownAuthorityError text, including its hint about a candidate whose signature failed. */
function unknownAuthority(hint: { error: string; cert: X509Certificate } | null): Failure {
  let error = 'x509: certificate signed by unknown authority';
  if (hint) {
    const name =
      nameAttribute(hint.cert.subject, 'CN') ??
      nameAttribute(hint.cert.subject, 'O') ??
      `serial:${BigInt(`0x${hint.cert.serialNumber}`).toString()}`;
    error += ` (possibly because of ${JSON.stringify(hint.error)} while trying to verify candidate authority certificate ${JSON.stringify(name)})`;
  }
  return { reason: 'unknown-authority', error };
}

interface Pools {
  anchors: X509Certificate[];
  intermediates: X509Certificate[];
  now: Date;
  refuseSha1: boolean;
  /** Go 1.18 to 1.23 (and, when no Go is given, the Go 1.19 this port was first checked on). */
  sha1OverrideHint: boolean;
}

/** Go's buildChains: anchors are tried before intermediates; every path that reaches an anchor is
 * kept. The last candidate's validity error wins when no path is found, as in Go. */
function buildChains(
  cert: X509Certificate,
  current: X509Certificate[],
  pools: Pools,
): { chains: X509Certificate[][]; failure: Failure | null } {
  const chains: X509Certificate[][] = [];
  let failure: Failure | null = null;
  let hint: { error: string; cert: X509Certificate } | null = null;
  const consider = (type: CertType, candidate: X509Certificate) => {
    if (alreadyInChain(candidate, current)) return;
    const sigError = signatureError(cert, candidate, pools.refuseSha1, pools.sha1OverrideHint);
    if (sigError) {
      hint ??= { error: sigError, cert: candidate };
      return;
    }
    failure = isValid(candidate, type, pools.now, current);
    if (failure) return;
    if (type === 'root') {
      chains.push([...current, candidate]);
      return;
    }
    const below = buildChains(candidate, [...current, candidate], pools);
    chains.push(...below.chains);
    failure = below.failure;
  };
  for (const root of potentialParents(pools.anchors, cert)) consider('root', root);
  for (const intermediate of potentialParents(pools.intermediates, cert)) consider('intermediate', intermediate);
  if (chains.length > 0) return { chains, failure: null };
  return { chains, failure: failure ?? unknownAuthority(hint) };
}

/** Go's checkChainForKeyUsage for the one usage the webhook client asks for: serverAuth. Every
 * certificate on the path that lists usages must allow it (or any usage). */
function allowsServerAuth(chain: X509Certificate[]): boolean {
  return chain.every((cert) => {
    const usages = cert.keyUsage;
    if (!usages || usages.length === 0) return true;
    return usages.some((u) => u === OID_SERVER_AUTH || u === OID_ANY_EKU || OID_SGC.includes(u));
  });
}

function daysLeft(cert: X509Certificate, now: Date): number {
  return Math.floor((notAfter(cert).getTime() - now.getTime()) / DAY_MS);
}

function failed(failure: Failure, extra: Partial<ChainVerdict> = {}): ChainVerdict {
  return {
    ok: false,
    ...failure,
    incompleteChain: false,
    missingIssuer: null,
    path: [],
    anchor: null,
    expiringSoon: [],
    ...extra,
  };
}

/** The classic misconfiguration: the server sends its leaf without the intermediate that signed
 * it, and the anchor is the root. Browsers and Node paper over it (AIA fetching, cached
 * intermediates); Go does not. */
function missingLeafIssuer(leaf: X509Certificate, pools: Pools): string | null {
  const known = [...pools.anchors, ...pools.intermediates];
  if (leaf.subject === leaf.issuer) return null;
  if (known.some((c) => c.subject === leaf.issuer)) return null;
  return oneLineName(leaf.issuer);
}

export function verifyChain(input: VerifyInput): ChainVerdict {
  const presented = parseCertList(input.presented);
  const leaf = presented[0];
  if (!leaf) return failed({ reason: 'no-chain', error: 'tls: server presented no certificate' });
  const verdict = verifyParsed(input, presented, leaf);
  // Go >= 1.20: crypto/tls wraps what Verify returns.
  const wrap = input.go?.wrapVerifyErrors && verdict.error?.startsWith('x509: ');
  return wrap ? { ...verdict, error: `tls: failed to verify certificate: ${verdict.error}` } : verdict;
}

function verifyParsed(input: VerifyInput, presented: X509Certificate[], leaf: X509Certificate): ChainVerdict {
  const pools: Pools = {
    anchors: parseCertList(input.anchors),
    intermediates: presented.slice(1),
    now: input.now,
    refuseSha1: input.refuseSha1,
    sha1OverrideHint: input.go?.sha1OverrideHint ?? true,
  };

  const leafInvalid = isValid(leaf, 'leaf', input.now);
  if (leafInvalid) return failed(leafInvalid);
  const nameError = verifyHostname(leaf, input.serverName);
  if (nameError) {
    const reason = nameError.includes('legacy Common Name') ? 'legacy-common-name' : 'hostname';
    return failed({ reason, error: nameError });
  }

  let chains: X509Certificate[][];
  if (pools.anchors.some((a) => sameCertificate(a, leaf))) {
    chains = [[leaf]];
  } else {
    const built = buildChains(leaf, [leaf], pools);
    if (built.failure) {
      const missingIssuer = built.failure.reason === 'unknown-authority' ? missingLeafIssuer(leaf, pools) : null;
      return failed(built.failure, { incompleteChain: missingIssuer !== null, missingIssuer });
    }
    chains = built.chains;
  }

  const usable = chains.find(allowsServerAuth);
  if (!usable) return failed({ reason: 'incompatible-usage', error: 'x509: certificate specifies an incompatible key usage' });
  return {
    ok: true,
    reason: 'ok',
    error: null,
    incompleteChain: false,
    missingIssuer: null,
    path: usable.map(summarizeCert),
    anchor: summarizeCert(usable[usable.length - 1]!),
    expiringSoon: usable
      .filter((c) => daysLeft(c, input.now) < EXPIRY_WARNING_DAYS)
      .map((c) => ({ cert: summarizeCert(c), daysLeft: daysLeft(c, input.now) })),
  };
}

// A throw-away PKI generated at test time: root -> intermediate -> leaf, with the knobs the TLS tests
// need (SANs, IP SANs, validity, EKU, CN-only). Certificates are built and signed with node-forge;
// Keys and signatures come from node:crypto: forge's pure-JS RSA takes ~100 ms per signature and
// seconds per key, and the suite builds dozens of chains. 1024-bit keys keep generation fast; both
// Node's OpenSSL and the Go of kube-apiserver 1.20 accept them.
import { generateKeyPairSync, sign } from 'node:crypto';
import forge from 'node-forge';

export interface KeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

export interface Issued {
  cert: string;
  key: KeyPair;
  subject: string;
}

export interface CertOptions {
  commonName: string;
  /** DNS SANs; an empty list and no ips means no subjectAltName extension at all (CN-only). */
  dnsNames?: string[];
  ips?: string[];
  notBefore?: Date;
  notAfter?: Date;
  /** Extended key usages by forge name (serverAuth, clientAuth ...); omitted means no EKU extension. */
  extKeyUsage?: string[];
  isCA?: boolean;
  /** Digest of the signature (SHA-256 unless an old algorithm is being tested). */
  signatureHash?: 'sha256' | 'sha1';
  /** RSA modulus size of the certificate's own key (1024 unless a small key is being tested). */
  keyBits?: number;
  /** A serial number whose DER INTEGER is negative (refused by Go >= 1.23). */
  negativeSerial?: boolean;
  /** A critical nameConstraints extension: permitted DNS subtrees, excluded IP ranges (CIDR). */
  nameConstraints?: { permittedDns?: string[]; excludedIps?: string[] };
}

const DAY_MS = 24 * 60 * 60 * 1000;
let serial = 1;

export function newKeyPair(bits = 1024): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** What forge's cert.sign() does, with the RSA signature computed natively. */
function signWithNode(cert: forge.pki.Certificate, privateKeyPem: string, hash: 'sha256' | 'sha1'): void {
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids[`${hash}WithRSAEncryption`]!;
  // getTBSCertificate is public in node-forge but missing from @types/node-forge.
  const pki = forge.pki as typeof forge.pki & { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 };
  cert.tbsCertificate = pki.getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'binary');
  cert.signature = sign(hash, tbs, privateKeyPem).toString('binary');
}

/** Signs a certificate for `opts` with `issuer` (self-signed when issuer is null). */
export function issue(opts: CertOptions, issuer: Issued | null, key: KeyPair = newKeyPair(opts.keyBits)): Issued {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(key.publicKeyPem);
  // forge writes the hex as the INTEGER's bytes: a leading ff makes it negative.
  cert.serialNumber = `${opts.negativeSerial ? 'ff' : ''}${(serial++).toString(16).padStart(2, '0')}`;
  cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + 365 * DAY_MS);
  const subject = [{ name: 'commonName', value: opts.commonName }];
  cert.setSubject(subject);
  cert.setIssuer(issuer ? forge.pki.certificateFromPem(issuer.cert).subject.attributes : subject);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: opts.isCA ?? false, critical: true },
    opts.isCA
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (opts.extKeyUsage) extensions.push({ name: 'extKeyUsage', ...Object.fromEntries(opts.extKeyUsage.map((u) => [u, true])) });
  const altNames = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(opts.ips ?? []).map((ip) => ({ type: 7, ip })),
  ];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  if (opts.nameConstraints) extensions.push({ id: '2.5.29.30', critical: true, value: nameConstraintsDer(opts.nameConstraints) });
  cert.setExtensions(extensions);
  signWithNode(cert, (issuer?.key ?? key).privateKeyPem, opts.signatureHash ?? 'sha256');
  return { cert: forge.pki.certificateToPem(cert), key, subject: opts.commonName };
}

/** NameConstraints ::= SEQUENCE { permittedSubtrees [0], excludedSubtrees [1] } of GeneralSubtree
 * { base GeneralName }: dNSName [2] IA5String, iPAddress [7] address then mask. forge cannot write it. */
function nameConstraintsDer(nc: NonNullable<CertOptions['nameConstraints']>): string {
  const { asn1 } = forge;
  const subtree = (name: forge.asn1.Asn1) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [name]);
  const dns = (d: string) => subtree(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, d));
  const ip = (cidr: string) => {
    const [addr, bits] = cidr.split('/') as [string, string];
    const mask = [0, 1, 2, 3].map((i) => Math.max(0, Math.min(8, Number(bits) - 8 * i))).map((n) => (0xff << (8 - n)) & 0xff);
    return subtree(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 7, false, String.fromCharCode(...addr.split('.').map(Number), ...mask)));
  };
  const parts: forge.asn1.Asn1[] = [];
  if (nc.permittedDns?.length) parts.push(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, nc.permittedDns.map(dns)));
  if (nc.excludedIps?.length) parts.push(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 1, true, nc.excludedIps.map(ip)));
  return asn1.toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, parts)).getBytes();
}

export interface Chain {
  root: Issued;
  intermediate: Issued;
  leaf: Issued;
}

export interface ChainOptions {
  /** Prefix for the CA names, so two chains can be told apart (or made to collide). */
  name?: string;
  leaf?: Partial<CertOptions>;
  intermediate?: Partial<CertOptions>;
}

/** root -> intermediate -> leaf for 127.0.0.1 / localhost, serverAuth, valid for a year. */
export function makeChain(opts: ChainOptions = {}): Chain {
  const name = opts.name ?? 'Test';
  const root = issue({ commonName: `${name} Root CA`, isCA: true }, null);
  const intermediate = issue({ commonName: `${name} Intermediate CA`, isCA: true, ...opts.intermediate }, root);
  const leaf = issue(
    { commonName: 'localhost', dnsNames: ['localhost'], ips: ['127.0.0.1'], extKeyUsage: ['serverAuth'], ...opts.leaf },
    intermediate,
  );
  return { root, intermediate, leaf };
}

export const daysFromNow = (days: number): Date => new Date(Date.now() + days * DAY_MS);

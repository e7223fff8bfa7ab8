// Issues X.509 certificates: built with node-forge, with keys and signatures from node:crypto (forge's
// pure-JS RSA takes ~100 ms per signature and seconds per key). The demo console's chain is issued
// here at run time, so no private key ships with the package; the tests' PKI uses it too.
import { generateKeyPair, generateKeyPairSync, randomBytes, sign, type RSAKeyPairOptions } from 'node:crypto';
import { promisify } from 'node:util';
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
  /** RSA modulus size of the certificate's own key, where the caller does not pass a key (tests of small keys). */
  keyBits?: number;
  /** A serial number whose DER INTEGER is negative (refused by Go >= 1.23). */
  negativeSerial?: boolean;
  /** A critical nameConstraints extension: permitted DNS subtrees, excluded IP ranges (CIDR). */
  nameConstraints?: { permittedDns?: string[]; excludedIps?: string[] };
}

export const DAY_MS = 24 * 60 * 60 * 1000;

const rsaOptions = (modulusLength: number): RSAKeyPairOptions<'pem', 'pem'> => ({
  modulusLength,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

export function newKeyPair(modulusLength: number): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', rsaOptions(modulusLength));
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** Off the main thread: two keys are made side by side. */
export async function newKeyPairAsync(modulusLength: number): Promise<KeyPair> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', rsaOptions(modulusLength));
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
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

/** Signs a certificate for `opts` and `key` with `issuer` (self-signed when issuer is null). */
export function issue(opts: CertOptions, issuer: Issued | null, key: KeyPair): Issued {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(key.publicKeyPem);
  // A positive 64-bit serial, unique enough that two runs never issue the same one.
  const serial = randomBytes(8);
  // forge writes the hex as the INTEGER's bytes: a set top bit makes it negative.
  if (opts.negativeSerial) serial[0]! |= 0x80;
  else serial[0]! &= 0x7f;
  cert.serialNumber = serial.toString('hex');
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
  const altNames = [...(opts.dnsNames ?? []).map((value) => ({ type: 2, value })), ...(opts.ips ?? []).map((ip) => ({ type: 7, ip }))];
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

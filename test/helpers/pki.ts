// A throw-away PKI generated at test time: root -> intermediate -> leaf, with the knobs the TLS tests
// need (SANs, IP SANs, validity, EKU, CN-only). Certificates are built and signed with node-forge;
// RSA keys come from node:crypto because forge's pure-JS key generation takes seconds per key.
import { generateKeyPairSync } from 'node:crypto';
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
}

const DAY_MS = 24 * 60 * 60 * 1000;
let serial = 1;

export function newKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Signs a certificate for `opts` with `issuer` (self-signed when issuer is null). */
export function issue(opts: CertOptions, issuer: Issued | null, key: KeyPair = newKeyPair()): Issued {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(key.publicKeyPem);
  cert.serialNumber = (serial++).toString(16).padStart(2, '0');
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
  cert.setExtensions(extensions);
  const signer = forge.pki.privateKeyFromPem((issuer?.key ?? key).privateKeyPem);
  cert.sign(signer as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key, subject: opts.commonName };
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

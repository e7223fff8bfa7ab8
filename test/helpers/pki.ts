// A throw-away PKI generated at test time: root -> intermediate -> leaf, with the knobs the TLS tests
// need (SANs, IP SANs, validity, EKU, CN-only), issued by src/tls/issue.ts. 1024-bit keys keep
// generation fast (the suite builds dozens of chains); both Node's OpenSSL and the Go of
// kube-apiserver 1.20 accept them.
import {
  DAY_MS,
  issue as issueWith,
  newKeyPair as newRsaKeyPair,
  type CertOptions,
  type Issued,
  type KeyPair,
} from '../../src/tls/issue.js';

export type { CertOptions, Issued, KeyPair };

export const newKeyPair = (bits = 1024): KeyPair => newRsaKeyPair(bits);
/** Signs a certificate for `opts` with `issuer` (self-signed when issuer is null). */
export const issue = (opts: CertOptions, issuer: Issued | null, key: KeyPair = newKeyPair(opts.keyBits)): Issued =>
  issueWith(opts, issuer, key);

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

import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyChain, type ChainVerdict } from '../../src/tls/verify.js';
import { daysFromNow, issue, makeChain, type Chain } from '../helpers/pki.js';

let chain: Chain;
let unrelated: Chain;
let lookalike: Chain;

beforeAll(() => {
  chain = makeChain();
  unrelated = makeChain({ name: 'Other' });
  // Same CA names as `chain`, different keys: Go tries it as a parent and reports why it failed.
  lookalike = makeChain();
});

const verify = (presented: string[], anchors: string[], serverName = '127.0.0.1', refuseSha1 = true): ChainVerdict =>
  verifyChain({ presented, anchors, serverName, now: new Date(), refuseSha1 });

describe('verifyChain: which anchors end the path (Go treats every CA-data cert as an anchor)', () => {
  it.each([
    ['the root', () => chain.root.cert, 'Test Root CA', 3],
    ['the intermediate', () => chain.intermediate.cert, 'Test Intermediate CA', 2],
    ['the leaf itself', () => chain.leaf.cert, 'localhost', 1],
  ])('CA data = %s: passes and ends at it', (_name, anchor, anchorCn, pathLength) => {
    const verdict = verify([chain.leaf.cert, chain.intermediate.cert], [anchor()]);
    expect(verdict).toMatchObject({ ok: true, reason: 'ok', error: null });
    expect(verdict.anchor?.subject).toBe(`CN=${anchorCn}`);
    expect(verdict.path).toHaveLength(pathLength);
  });

  it('CA data = an unrelated root: unknown authority, and the chain was complete', () => {
    const verdict = verify([chain.leaf.cert, chain.intermediate.cert], [unrelated.root.cert]);
    expect(verdict).toMatchObject({ ok: false, reason: 'unknown-authority', incompleteChain: false });
    expect(verdict.error).toBe('x509: certificate signed by unknown authority');
  });

  it('CA data = a root with the right name but another key: Go names the candidate it rejected', () => {
    const verdict = verify([chain.leaf.cert, chain.intermediate.cert], [lookalike.root.cert]);
    expect(verdict.error).toBe(
      'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "Test Root CA")',
    );
  });

  it('server sends the leaf only, CA data = root: incomplete chain, Go fails', () => {
    const verdict = verify([chain.leaf.cert], [chain.root.cert]);
    expect(verdict).toMatchObject({
      ok: false,
      reason: 'unknown-authority',
      incompleteChain: true,
      missingIssuer: 'CN=Test Intermediate CA',
    });
  });

  it('server sends the leaf only, CA data = intermediate: Go passes', () => {
    expect(verify([chain.leaf.cert], [chain.intermediate.cert])).toMatchObject({ ok: true });
  });

  it('system roots do not know a private CA', () => {
    expect(verify([chain.leaf.cert, chain.intermediate.cert], [...rootCertificates]).reason).toBe('unknown-authority');
  });

  it('DER input works like PEM', () => {
    const der = (pem: string) => new X509Certificate(pem).raw;
    const verdict = verifyChain({
      presented: [der(chain.leaf.cert), der(chain.intermediate.cert)],
      anchors: [der(chain.root.cert)],
      serverName: '127.0.0.1',
      now: new Date(),
      refuseSha1: true,
    });
    expect(verdict.anchor?.subject).toBe('CN=Test Root CA');
  });

  it('no certificate presented', () => {
    expect(verify([], [chain.root.cert]).reason).toBe('no-chain');
  });
});

describe('verifyChain: names (no Common Name fallback)', () => {
  it('SAN not covering the host', () => {
    expect(verify([chain.leaf.cert, chain.intermediate.cert], [chain.root.cert], 'console.example.com').error).toBe(
      'x509: certificate is valid for localhost, not console.example.com',
    );
  });

  it('IP host without IP SANs', () => {
    const leaf = issue({ commonName: 'svc', dnsNames: ['svc.example.com', 'localhost'], extKeyUsage: ['serverAuth'] }, chain.intermediate);
    expect(verify([leaf.cert, chain.intermediate.cert], [chain.root.cert], '127.0.0.1')).toMatchObject({
      reason: 'hostname',
      error: "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs",
    });
  });

  it('IP host with other IP SANs lists them', () => {
    const leaf = issue({ commonName: 'svc', ips: ['10.0.0.1', '10.0.0.2'], extKeyUsage: ['serverAuth'] }, chain.intermediate);
    expect(verify([leaf.cert, chain.intermediate.cert], [chain.root.cert], '127.0.0.1').error).toBe(
      'x509: certificate is valid for 10.0.0.1, 10.0.0.2, not 127.0.0.1',
    );
  });

  it.each([
    ['::1', null],
    ['[::1]', null],
    ['0:0:0:0:0:0:0:1', null],
    ['::2', 'x509: certificate is valid for ::1, not ::2'],
  ])('IPv6 SAN ::1 against %s', (host, error) => {
    const leaf = issue({ commonName: 'v6', ips: ['::1'], extKeyUsage: ['serverAuth'] }, chain.intermediate);
    const verdict = verify([leaf.cert, chain.intermediate.cert], [chain.root.cert], host);
    expect(verdict.error).toBe(error);
  });

  it('CN-only certificate that matches by CN: legacy Common Name error', () => {
    const leaf = issue({ commonName: 'console.example.com', extKeyUsage: ['serverAuth'] }, chain.intermediate);
    expect(verify([leaf.cert, chain.intermediate.cert], [chain.root.cert], 'console.example.com')).toMatchObject({
      reason: 'legacy-common-name',
      error: 'x509: certificate relies on legacy Common Name field, use SANs instead',
    });
  });

  it.each([
    ['a.example.com', null],
    ['A.Example.COM', null],
    ['a.example.com.', null],
    ['a.b.example.com', 'x509: certificate is valid for *.example.com, not a.b.example.com'],
    ['example.com', 'x509: certificate is valid for *.example.com, not example.com'],
  ])('wildcard *.example.com against %s', (host, error) => {
    const leaf = issue({ commonName: 'wild', dnsNames: ['*.example.com'], extKeyUsage: ['serverAuth'] }, chain.intermediate);
    expect(verify([leaf.cert, chain.intermediate.cert], [chain.root.cert], host).error).toBe(error);
  });
});

describe('verifyChain: validity and usage', () => {
  const goExpiry =
    /^x509: certificate has expired or is not yet valid: current time \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ is after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

  it('expired intermediate fails the path', () => {
    const expired = makeChain({ intermediate: { notBefore: daysFromNow(-30), notAfter: daysFromNow(-1) } });
    const verdict = verify([expired.leaf.cert, expired.intermediate.cert], [expired.root.cert]);
    expect(verdict.reason).toBe('expired');
    expect(verdict.error).toMatch(goExpiry);
  });

  it('expired leaf is reported before its names are checked, as Go does', () => {
    const leaf = issue(
      { commonName: 'old', dnsNames: ['old.example'], notBefore: daysFromNow(-30), notAfter: daysFromNow(-2) },
      chain.intermediate,
    );
    expect(verify([leaf.cert, chain.intermediate.cert], [chain.root.cert], 'new.example').error).toMatch(goExpiry);
  });

  it('not yet valid leaf', () => {
    const leaf = issue({ commonName: 'x', ips: ['127.0.0.1'], notBefore: daysFromNow(2), notAfter: daysFromNow(30) }, chain.intermediate);
    expect(verify([leaf.cert, chain.intermediate.cert], [chain.root.cert]).error).toMatch(/is before/);
  });

  it('leaf expiring in 10 days passes and is listed as expiring soon', () => {
    const soon = makeChain({ leaf: { notAfter: daysFromNow(10) } });
    const verdict = verify([soon.leaf.cert, soon.intermediate.cert], [soon.root.cert]);
    expect(verdict.ok).toBe(true);
    expect(verdict.expiringSoon.map((e) => [e.cert.subject, e.daysLeft])).toEqual([['CN=localhost', 9]]);
  });

  it('a year of validity is not expiring soon', () => {
    expect(verify([chain.leaf.cert, chain.intermediate.cert], [chain.root.cert]).expiringSoon).toEqual([]);
  });

  it('leaf with clientAuth only: incompatible key usage', () => {
    const leaf = issue({ commonName: 'c', ips: ['127.0.0.1'], extKeyUsage: ['clientAuth'] }, chain.intermediate);
    expect(verify([leaf.cert, chain.intermediate.cert], [chain.root.cert])).toMatchObject({
      reason: 'incompatible-usage',
      error: 'x509: certificate specifies an incompatible key usage',
    });
  });

  it('an intermediate restricted to clientAuth constrains the leaf too', () => {
    const restricted = makeChain({ intermediate: { extKeyUsage: ['clientAuth'] } });
    expect(verify([restricted.leaf.cert, restricted.intermediate.cert], [restricted.root.cert]).reason).toBe('incompatible-usage');
  });

  it('a leaf without EKU extension is fine', () => {
    const leaf = issue({ commonName: 'n', ips: ['127.0.0.1'] }, chain.intermediate);
    expect(verify([leaf.cert, chain.intermediate.cert], [chain.root.cert]).ok).toBe(true);
  });

  it('SHA-1 signed leaf: refused by Go >= 1.18 with its hint, accepted by older Go', () => {
    const leaf = issue({ commonName: 'old-hash', ips: ['127.0.0.1'], signatureHash: 'sha1' }, chain.intermediate);
    expect(verify([leaf.cert, chain.intermediate.cert], [chain.root.cert]).error).toBe(
      'x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm SHA1-RSA (temporarily override with GODEBUG=x509sha1=1)" while trying to verify candidate authority certificate "Test Intermediate CA")',
    );
    expect(verify([leaf.cert, chain.intermediate.cert], [chain.root.cert], '127.0.0.1', false).ok).toBe(true);
  });

  it('a SHA-1 self-signature on the anchor itself is never checked', () => {
    const root = issue({ commonName: 'Old Root', isCA: true, signatureHash: 'sha1' }, null);
    const leaf = issue({ commonName: 'l', ips: ['127.0.0.1'] }, root);
    expect(verify([leaf.cert], [root.cert]).ok).toBe(true);
  });

  it('a presented non-CA certificate cannot act as an intermediate', () => {
    const fakeCa = issue({ commonName: 'Fake CA', isCA: false, ips: ['127.0.0.1'] }, chain.intermediate);
    const leaf = issue({ commonName: 'l', ips: ['127.0.0.1'] }, fakeCa);
    expect(verify([leaf.cert, fakeCa.cert, chain.intermediate.cert], [chain.root.cert]).error).toMatch(/unknown authority/);
  });
});

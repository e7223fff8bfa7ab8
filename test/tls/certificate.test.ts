import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { altNames, goIpString, parsePemBundle } from '../../src/tls/certificate.js';
import { issue, makeChain } from '../helpers/pki.js';

describe('goIpString: IPs as Go prints them', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:DB8:0:0:0:0:0:10', '2001:db8::10'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['0:0:0:0:0:FFFF:A01:203', '10.1.2.3'],
  ])('%s -> %s', (input, go) => {
    expect(goIpString(input)).toBe(go);
  });
});

describe('reading certificates', () => {
  it('SANs come out as Go lists them, and a certificate without the extension says so', () => {
    const chain = makeChain();
    const leaf = issue({ commonName: 'x', dnsNames: ['a.example', 'b.example'], ips: ['::1', '10.0.0.1'] }, chain.intermediate);
    expect(altNames(new X509Certificate(leaf.cert))).toEqual({
      present: true,
      dnsNames: ['a.example', 'b.example'],
      ipAddresses: ['::1', '10.0.0.1'],
    });
    expect(altNames(new X509Certificate(chain.root.cert))).toEqual({ present: false, dnsNames: [], ipAddresses: [] });
  });

  it('a bundle keeps order and counts blocks that do not parse', () => {
    const chain = makeChain();
    const broken = '-----BEGIN CERTIFICATE-----\nnotbase64\n-----END CERTIFICATE-----\n';
    const bundle = parsePemBundle(`junk\n${chain.leaf.cert}${broken}${chain.root.cert}`);
    expect(bundle.certs.map((c) => c.subject)).toEqual(['CN=localhost', 'CN=Test Root CA']);
    expect(bundle.unparsable).toBe(1);
  });
});

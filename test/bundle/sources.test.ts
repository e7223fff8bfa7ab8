import { describe, expect, it } from 'vitest';
import { certificatesIn } from '../../src/bundle/sources.js';
import { parseOsRelease } from '../../src/bundle/versions.js';

const cert = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;

describe('certificatesIn', () => {
  it('finds PEM certificates anywhere in a fact, once each, and never a private key', () => {
    const probe = {
      ok: true,
      value: {
        chain: [{ pem: cert('MIIBleaf') }, { pem: cert('MIIBca') }],
        again: `${cert('MIIBleaf')}\n-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----`,
      },
    };
    expect(certificatesIn(probe)).toEqual([cert('MIIBleaf'), cert('MIIBca')]);
  });
  it('finds nothing in a fact without certificates', () => expect(certificatesIn({ ok: true, value: { text: 'plain' } })).toEqual([]));
});

describe('parseOsRelease', () => {
  it('reads quoted and bare values', () => {
    expect(parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n# comment\n')).toEqual({
      PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)',
      ID: 'debian',
      VERSION_ID: '12',
    });
  });
});

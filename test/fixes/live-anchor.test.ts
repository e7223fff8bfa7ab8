// The anchor fix takes from a live chain: judged with the Go verifier port on generated chains.
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { anchorsFit, liveAnchor, type LiveChain } from '../../src/fixes/generators/live-anchor.js';
import { issue, makeChain, type Chain } from '../helpers/pki.js';

let chain: Chain;
let other: Chain;
const now = new Date();
const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

function live(presented: string[], over: Partial<LiveChain> = {}): LiveChain {
  return { endpoint: '127.0.0.1:8083', serverName: '127.0.0.1', presented, refuseSha1: true, currentAnchors: null, ...over };
}

beforeAll(() => {
  chain = makeChain();
  other = makeChain({ name: 'Other' });
});

describe('liveAnchor', () => {
  it('pins the root when the server sends it, and names it with its fingerprint', () => {
    const anchor = liveAnchor(live([chain.leaf.cert, chain.intermediate.cert, chain.root.cert]), now);
    expect(anchor).toMatchObject({ pem: chain.root.cert });
    expect('why' in anchor && anchor.why).toMatch(
      new RegExp(`CN=Test Root CA, SHA-256 ${fingerprint(chain.root.cert)}, the self-signed root CA it sends`),
    );
  });

  it('pins the top intermediate when the root is not sent, and says the pin breaks when it is replaced', () => {
    const anchor = liveAnchor(live([chain.leaf.cert, chain.intermediate.cert]), now);
    expect(anchor).toMatchObject({
      pem: chain.intermediate.cert,
      why: expect.stringMatching(/topmost intermediate.*breaks when the intermediate is replaced.*--ca-file/),
    });
  });

  it('pins the console certificate itself when only the leaf is sent, naming the CA that would last longer', () => {
    const anchor = liveAnchor(live([chain.leaf.cert]), now);
    expect(anchor).toMatchObject({
      pem: chain.leaf.cert,
      why: expect.stringMatching(/console's own certificate.*does not send its CA \(CN=Test Intermediate CA\).*renewed/),
    });
  });

  it('pins a self-signed console certificate', () => {
    const self = issue({ commonName: 'console', ips: ['127.0.0.1'], extKeyUsage: ['serverAuth'] }, null);
    expect(liveAnchor(live([self.cert]), now)).toMatchObject({
      pem: self.cert,
      why: expect.stringMatching(/self-signed certificate itself/),
    });
  });

  it('skips a presented certificate the chain does not build to (an unrelated extra root)', () => {
    const anchor = liveAnchor(live([chain.leaf.cert, chain.intermediate.cert, other.root.cert]), now);
    expect(anchor).toMatchObject({ pem: chain.intermediate.cert });
  });

  it('still pins the root when the name is wrong: CA data cannot fix a name, webhook-tls-chain reports it', () => {
    const anchor = liveAnchor(
      live([chain.leaf.cert, chain.intermediate.cert, chain.root.cert], { serverName: 'console.example.com' }),
      now,
    );
    expect(anchor).toMatchObject({ pem: chain.root.cert });
  });

  it('pins the leaf of a SHA-1 chain for a Go that refuses SHA-1: a pooled leaf is the whole chain, no signature is checked', () => {
    const root = issue({ commonName: 'Weak Root', isCA: true }, null);
    const leaf = issue({ commonName: 'localhost', ips: ['127.0.0.1'], extKeyUsage: ['serverAuth'], signatureHash: 'sha1' }, root);
    expect(liveAnchor(live([leaf.cert, root.cert]), now)).toMatchObject({ pem: leaf.cert });
    // The Go of kube-apiserver < 1.24 still accepts SHA-1, so the root is the anchor there.
    expect(liveAnchor(live([leaf.cert, root.cert], { refuseSha1: false }), now)).toMatchObject({ pem: root.cert });
  });
});

describe('anchorsFit', () => {
  it('accepts the anchors the chain builds to and rejects unrelated ones', () => {
    const l = live([chain.leaf.cert, chain.intermediate.cert]);
    expect(anchorsFit(l, [chain.root.cert], now)).toBe(true);
    expect(anchorsFit(l, [other.root.cert], now)).toBe(false);
    expect(anchorsFit(l, [], now)).toBe(false);
  });
});

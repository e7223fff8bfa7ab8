// TLS situations whose verdict depends on the Go that kube-apiserver is built with: Debian's 1.20.2
// binary has Go 1.19, Kubernetes 1.36 Go 1.26 (the probe: Go 1.27). The doctor picks its Go rules
// from --kubernetes-version (src/tls/go-rules.ts).
import { httpsReceiver } from '../test/helpers/https-server.js';
import { issue, makeChain } from '../test/helpers/pki.js';
import { situationChain, url, type Situation } from '../test-apiserver/webhook-situations.js';

/** Serves leaf + intermediate of a chain built for the situation, CA data = its root. */
function servedChain(
  build: () => { leaf: { cert: string; key: { privateKeyPem: string } }; intermediate: { cert: string }; root: { cert: string } },
) {
  return async () => {
    const c = build();
    const receiver = await httpsReceiver([c.leaf.cert, c.intermediate.cert], c.leaf.key.privateKeyPem, { weakSignatures: true });
    return { receiver, kubeconfig: { server: url('https', receiver.port), caPem: c.root.cert } };
  };
}
const leaf = { commonName: 'localhost', dnsNames: ['localhost'], ips: ['127.0.0.1'], extKeyUsage: ['serverAuth'] };

export const GO_SITUATIONS: Situation[] = [
  {
    // 768, not 512: TLS 1.3's RSA-PSS with SHA-256 cannot sign with a key under 528 bits at all.
    name: 'leaf with a 768-bit RSA key',
    setup: servedChain(() => {
      const base = situationChain();
      return { ...base, leaf: issue({ ...leaf, keyBits: 768 }, base.intermediate) };
    }),
  },
  {
    name: 'intermediate with a 512-bit RSA key',
    setup: servedChain(() => makeChain({ name: 'Small', intermediate: { keyBits: 512 } })),
  },
  {
    name: 'leaf with a negative serial number',
    setup: servedChain(() => {
      const base = situationChain();
      return { ...base, leaf: issue({ ...leaf, negativeSerial: true }, base.intermediate) };
    }),
  },
  {
    name: 'intermediate SHA-1 signed by the root',
    setup: servedChain(() => makeChain({ name: 'Sha1Mid', intermediate: { signatureHash: 'sha1' } })),
    doctorVersion: '1.24.0',
  },
  {
    name: 'self-signed SHA-1 root as the anchor (its own signature is never checked)',
    setup: servedChain(() => {
      const root = issue({ commonName: 'Sha1 Root CA', isCA: true, signatureHash: 'sha1' }, null);
      const intermediate = issue({ commonName: 'Sha1 Root Intermediate CA', isCA: true }, root);
      return { root, intermediate, leaf: issue(leaf, intermediate) };
    }),
    doctorVersion: '1.24.0',
  },
  {
    name: 'intermediate name-constrained to example.com, leaf for localhost',
    setup: servedChain(() => makeChain({ name: 'Constrained', intermediate: { nameConstraints: { permittedDns: ['example.com'] } } })),
  },
  {
    name: 'intermediate excluding 127.0.0.0/8, leaf for 127.0.0.1',
    setup: servedChain(() => makeChain({ name: 'NoLoopback', intermediate: { nameConstraints: { excludedIps: ['127.0.0.0/8'] } } })),
  },
  {
    name: 'intermediate name-constrained to localhost (leaf within it)',
    setup: servedChain(() => makeChain({ name: 'Local', intermediate: { nameConstraints: { permittedDns: ['localhost'] } } })),
  },
  {
    name: 'intermediate limited to clientAuth, leaf serverAuth',
    setup: servedChain(() => makeChain({ name: 'ClientMid', intermediate: { extKeyUsage: ['clientAuth'] } })),
  },
  {
    name: 'leaf without any extended key usage',
    setup: servedChain(() => {
      const base = situationChain();
      return { ...base, leaf: issue({ ...leaf, extKeyUsage: undefined }, base.intermediate) };
    }),
  },
];

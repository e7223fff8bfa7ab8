import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FactFailure } from '../../src/facts/collector.js';
import { httpsReceiver, type Receiver } from '../helpers/https-server.js';
import { makeChain, type Chain } from '../helpers/pki.js';
import { collectWebhookProbe } from '../helpers/webhook-facts.js';

let chain: Chain;
let other: Chain;
let root: string;
let receiver: Receiver;
const open: Receiver[] = [];

beforeAll(async () => {
  chain = makeChain();
  other = makeChain({ name: 'Other' });
  root = await mkdtemp(join(tmpdir(), 'prisma-audit-root-'));
  receiver = await httpsReceiver([chain.leaf.cert, chain.intermediate.cert], chain.leaf.key.privateKeyPem);
  open.push(receiver);
});
afterAll(async () => {
  await Promise.all(open.map((r) => r.close()));
  await rm(root, { recursive: true, force: true });
});
afterEach(() => {
  receiver.received.length = 0;
});

async function failure(promise: Promise<unknown>) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FactFailure);
  return (err as FactFailure).error;
}

describe('webhookProbe collector', () => {
  it('offline: does not touch the network', async () => {
    const error = await failure(collectWebhookProbe({ server: `https://127.0.0.1:${receiver.port}/x` }, { offline: true }));
    expect(error.reason).toBe('offline');
    expect(receiver.received).toHaveLength(0);
  });

  it.each([
    ['', 'names no webhook server URL'],
    ['ftp://console/x', 'is not an http(s) URL'],
    ['console:8083/api', 'host must be a URL or a host:port pair'],
  ])('server %j is not applicable', async (server, words) => {
    const error = await failure(collectWebhookProbe({ server }));
    expect(error.reason).toBe('not-applicable');
    expect(error.message).toContain(words);
  });

  it('CA data: anchors decoded, POST sent to the cleaned URL with ?timeout=30s, cluster lines kept', async () => {
    const probe = await collectWebhookProbe({
      server: `https://127.0.0.1:${receiver.port}/api/v1/kubernetes/webhook/abc=?drop=me`,
      caPem: chain.root.cert,
    });
    expect(probe).toMatchObject({
      url: `https://127.0.0.1:${receiver.port}/api/v1/kubernetes/webhook/abc=?timeout=30s`,
      serverName: '127.0.0.1',
      clusterField: 'clusters.0.cluster',
      trust: { source: 'ca-data', origin: 'clusters.0.cluster.certificate-authority-data', problem: null },
    });
    expect(probe.trust.anchors).toHaveLength(1);
    expect(probe.lines['clusters.0.cluster.server']).toBe(6);
    expect(probe.probe.presented).toHaveLength(2);
    expect(receiver.received.map((r) => r.url)).toEqual(['/api/v1/kubernetes/webhook/abc=?timeout=30s']);
  });

  it('CA data that is base64 of base64 is reported as a problem with no anchors', async () => {
    const probe = await collectWebhookProbe({
      server: `https://127.0.0.1:${receiver.port}/`,
      caPem: Buffer.from(chain.root.cert).toString('base64'),
    });
    expect(probe.trust.anchors).toEqual([]);
    expect(probe.trust.problem).toMatch(/decodes to no PEM certificate \(base64 of base64/);
  });

  it('certificate-authority file: read under --root, relative to the kubeconfig directory', async () => {
    // The kubeconfig lives in /etc/kubernetes/audit (WEBHOOK_CONFIG_PATH).
    const dir = join(root, '/etc/kubernetes/audit');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'console-ca.pem'), chain.intermediate.cert);
    const probe = await collectWebhookProbe({ server: `https://127.0.0.1:${receiver.port}/`, caFile: 'console-ca.pem' }, { root });
    expect(probe.trust).toMatchObject({ source: 'ca-file', origin: '/etc/kubernetes/audit/console-ca.pem', problem: null });
  });

  it('missing certificate-authority file is a trust problem, not a crash', async () => {
    const probe = await collectWebhookProbe(
      { server: `https://127.0.0.1:${receiver.port}/`, caFile: '/etc/kubernetes/pki/missing.pem' },
      { root },
    );
    expect(probe.trust.problem).toMatch(/cannot read the certificate-authority file: no such file or directory/);
  });

  it('no CA: the node bundle plus the certificate directory under --root, as Go reads them', async () => {
    await mkdir(join(root, 'etc/ssl/certs'), { recursive: true });
    await writeFile(join(root, 'etc/ssl/certs/ca-certificates.crt'), chain.root.cert);
    // Dropped into the directory without update-ca-certificates: Go still trusts it.
    await writeFile(join(root, 'etc/ssl/certs/console-ca.pem'), chain.intermediate.cert);
    const probe = await collectWebhookProbe({ server: `https://127.0.0.1:${receiver.port}/` }, { root });
    expect(probe.trust.source).toBe('system');
    expect(probe.trust.origin).toBe('/etc/ssl/certs/ca-certificates.crt + 2 PEM block(s) in /etc/ssl/certs');
    expect(probe.trust.anchors).toHaveLength(2);
  });

  it('SSL_CERT_FILE and SSL_CERT_DIR in the apiserver env replace the default locations', async () => {
    await mkdir(join(root, 'opt/ca'), { recursive: true });
    await writeFile(join(root, 'opt/ca/bundle.pem'), other.root.cert);
    const env = [
      { name: 'SSL_CERT_FILE', value: '/opt/ca/bundle.pem' },
      { name: 'SSL_CERT_DIR', value: '/opt/none' },
    ];
    const probe = await collectWebhookProbe({ server: `https://127.0.0.1:${receiver.port}/` }, { root, env });
    expect(probe.trust.origin).toBe('/opt/ca/bundle.pem');
    expect(probe.trust.anchors).toEqual([new X509Certificate(other.root.cert).toString()]);
  });

  it("no CA and no bundle under --root: Node's bundled roots stand in", async () => {
    const probe = await collectWebhookProbe({ server: `https://127.0.0.1:${receiver.port}/` });
    expect(probe.trust.origin).toMatch(/^Node's bundled Mozilla roots/);
    expect(probe.trust.anchors.length).toBeGreaterThan(50);
  });

  it('keeps only proxy variables from the apiserver env, and the kubeconfig proxy-url', async () => {
    const env = [
      { name: 'HTTPS_PROXY', value: 'http://proxy:3128' },
      { name: 'no_proxy', value: '.svc' },
      { name: 'GOMAXPROCS', value: '2' },
    ];
    const probe = await collectWebhookProbe(
      { server: `https://127.0.0.1:${receiver.port}/`, caPem: chain.root.cert, proxyUrl: 'http://p:1' },
      { env },
    );
    expect(probe.proxy).toEqual({ env: env.slice(0, 2), kubeconfigProxyUrl: 'http://p:1' });
  });
});

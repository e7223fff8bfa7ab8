import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateSafely } from '../../src/checks/run.js';
import { webhookTlsChain } from '../../src/checks/webhook-tls-chain.js';
import type { Finding } from '../../src/model/report.js';
import type { WebhookProbe } from '../../src/model/facts.js';
import { closedPort, httpReceiver, httpsReceiver, type Receiver } from '../helpers/https-server.js';
import { daysFromNow, issue, makeChain, type Chain } from '../helpers/pki.js';
import { collectWebhookProbe, type WebhookKubeconfig } from '../helpers/webhook-facts.js';

let chain: Chain;
let other: Chain;
const open: Receiver[] = [];
let full: Receiver;
let leafOnly: Receiver;

beforeAll(async () => {
  chain = makeChain();
  other = makeChain({ name: 'Other' });
  full = await httpsReceiver([chain.leaf.cert, chain.intermediate.cert], chain.leaf.key.privateKeyPem);
  leafOnly = await httpsReceiver([chain.leaf.cert], chain.leaf.key.privateKeyPem);
  open.push(full, leafOnly);
});
afterAll(async () => {
  await Promise.all(open.map((r) => r.close()));
});

const judge = (probe: WebhookProbe): Finding => evaluateSafely(webhookTlsChain, { webhookProbe: { ok: true, value: probe } }, new Date());
const run = async (k: Omit<WebhookKubeconfig, 'server'> & { server?: string }, receiver: Receiver = full) =>
  judge(await collectWebhookProbe({ server: `https://127.0.0.1:${receiver.port}/api/v1/kubernetes/webhook/abc=`, ...k }));

describe('webhook-tls-chain against live loopback endpoints', () => {
  it.each([
    ['root', () => chain.root.cert, 'CN=Test Root CA'],
    ['intermediate', () => chain.intermediate.cert, 'CN=Test Intermediate CA'],
    ['leaf', () => chain.leaf.cert, 'CN=localhost'],
  ])('CA data = %s: pass, and the evidence names the anchor', async (_n, ca, anchor) => {
    const finding = await run({ caPem: ca() });
    expect(finding.status).toBe('pass');
    expect(finding.evidence?.[0]?.message).toContain(`path ends at anchor: subject ${anchor}`);
  });

  it('CA data = unrelated root: fail with Go text, field, and the commands to rebuild the pin', async () => {
    const finding = await run({ caPem: other.root.cert });
    expect(finding.status).toBe('fail');
    expect(finding.summary).toBe(
      `kube-apiserver will reject the certificate of 127.0.0.1:${full.port} (clusters.0.cluster.server in /etc/kubernetes/audit/audit-webhook.yaml): x509: certificate signed by unknown authority`,
    );
    expect(finding.evidence?.[0]?.message).toMatch(
      /^kube-apiserver logs: Error in audit plugin 'webhook' .*Post "https:\/\/127\.0\.0\.1:\d+\/api\/v1\/kubernetes\/webhook\/abc=\?timeout=30s": x509/,
    );
    expect(finding.evidence).toContainEqual(expect.objectContaining({ file: '/etc/kubernetes/audit/audit-webhook.yaml', line: 5 }));
    expect(finding.remediation?.text).toContain(
      'Rebuild clusters.0.cluster.certificate-authority-data in /etc/kubernetes/audit/audit-webhook.yaml from cert2.pem (one base64 line): CN=Test Intermediate CA, SHA-256 ',
    );
    expect(finding.remediation?.text).toContain('It is an intermediate');
    expect(finding.remediation?.commands?.[0]).toMatch(/^openssl s_client -showcerts -connect 127\.0\.0\.1:\d+ <\/dev\/null/);
    expect(finding.remediation?.commands).toContain('base64 -w0 cert2.pem');
  });

  it('no CA at all and a private CA: set certificate-authority-data', async () => {
    const finding = await run({});
    expect(finding.status).toBe('fail');
    expect(finding.remediation?.text).toMatch(/^Set clusters\.0\.cluster\.certificate-authority-data in /);
  });

  it('CA file with the wrong CA: replace the file, no base64 step', async () => {
    const root = await mkdtemp(join(tmpdir(), 'prisma-audit-root-'));
    await mkdir(join(root, 'etc/kubernetes/pki'), { recursive: true });
    await writeFile(join(root, 'etc/kubernetes/pki/console-ca.pem'), other.root.cert);
    const probe = await collectWebhookProbe(
      { server: `https://127.0.0.1:${full.port}/x`, caFile: '/etc/kubernetes/pki/console-ca.pem' },
      { root },
    );
    const finding = judge(probe);
    await rm(root, { recursive: true, force: true });
    expect(finding.remediation?.text).toContain(
      `Replace the certificate-authority file /etc/kubernetes/pki/console-ca.pem (named by clusters.0.cluster.certificate-authority`,
    );
    expect(finding.remediation?.commands?.some((c) => c.startsWith('base64'))).toBe(false);
  });

  it('leaf only with CA = root: incomplete chain explained', async () => {
    const finding = await run({ caPem: chain.root.cert }, leafOnly);
    expect(finding.status).toBe('fail');
    expect(finding.evidence?.[1]?.message).toBe(
      "the leaf's issuer CN=Test Intermediate CA is neither sent by the server nor in the CA data",
    );
    expect(finding.remediation?.text).toMatch(/send its full chain/);
  });

  it('leaf only with CA = intermediate: pass (Go accepts it; Node would not)', async () => {
    expect((await run({ caPem: chain.intermediate.cert }, leafOnly)).status).toBe('pass');
  });

  it('tls-server-name not covered by the SANs: fail naming the valid names, SNI sent with it', async () => {
    const finding = await run({ caPem: chain.root.cert, tlsServerName: 'console.example.com' });
    expect(finding.summary).toContain('x509: certificate is valid for localhost, not console.example.com');
    expect(finding.remediation?.commands?.[0]).toContain('-servername console.example.com');
  });

  it('expiring in 10 days: warn', async () => {
    const soon = makeChain({ name: 'Soon', leaf: { notAfter: daysFromNow(10) } });
    const receiver = await httpsReceiver([soon.leaf.cert, soon.intermediate.cert], soon.leaf.key.privateKeyPem);
    open.push(receiver);
    const finding = await run({ caPem: soon.root.cert }, receiver);
    expect(finding.status).toBe('warn');
    expect(finding.summary).toMatch(/CN=localhost expires in 9 day\(s\)/);
  });

  it('leaf with clientAuth only: fail with incompatible usage', async () => {
    const leaf = issue({ commonName: 'c', ips: ['127.0.0.1'], extKeyUsage: ['clientAuth'] }, chain.intermediate);
    const receiver = await httpsReceiver([leaf.cert, chain.intermediate.cert], leaf.key.privateKeyPem);
    open.push(receiver);
    expect((await run({ caPem: chain.root.cert }, receiver)).summary).toContain('x509: certificate specifies an incompatible key usage');
  });

  it.each([
    ['1.20.2', 'pass'],
    ['v1.23.17', 'pass'],
    ['1.28.3', 'fail'],
    [null, 'fail'],
  ])('SHA-1 signed leaf with kube-apiserver %s: %s', async (version, status) => {
    const leaf = issue({ commonName: 'sha1', ips: ['127.0.0.1'], extKeyUsage: ['serverAuth'], signatureHash: 'sha1' }, chain.intermediate);
    const receiver = await httpsReceiver([leaf.cert, chain.intermediate.cert], leaf.key.privateKeyPem, { weakSignatures: true });
    open.push(receiver);
    const probe = await collectWebhookProbe({ server: `https://127.0.0.1:${receiver.port}/x`, caPem: chain.root.cert });
    const finding = judge({ ...probe, kubernetesVersion: version });
    expect(finding.status).toBe(status);
    expect(finding.evidence?.some((e) => e.message.startsWith('a presented certificate is SHA-1 signed;'))).toBe(true);
    if (status === 'fail') expect(finding.remediation?.text).toMatch(/^A certificate on the chain is signed with an algorithm Go refuses/);
  });

  it('CA data that decodes to nothing: fail with the reason', async () => {
    const finding = await run({ caPem: 'not a certificate' });
    expect(finding.status).toBe('fail');
    expect(finding.summary).toMatch(/no usable trust anchor .*decodes to no PEM certificate/);
  });

  it('plain http:// URL: skip, no TLS to verify', async () => {
    const receiver = await httpReceiver();
    open.push(receiver);
    const finding = await run({ server: `http://127.0.0.1:${receiver.port}/x` });
    expect(finding.status).toBe('skip');
    expect(finding.summary).toMatch(/plain http:\/\/, so there is no TLS to verify/);
  });

  it('closed port: unknown (could not look), never fail', async () => {
    const finding = await run({ server: `https://127.0.0.1:${await closedPort()}/x`, caPem: chain.root.cert });
    expect(finding.status).toBe('unknown');
    expect(finding.summary).toMatch(/tcp failed: connect ECONNREFUSED/);
  });

  it('insecure-skip-tls-verify: warn that anything is accepted', async () => {
    expect((await run({ insecure: true })).status).toBe('warn');
  });

  it('insecure-skip-tls-verify with CA data: skip, the apiserver would not even start', async () => {
    const finding = await run({ insecure: true, caPem: chain.root.cert });
    expect(finding.status).toBe('skip');
    expect(finding.summary).toMatch(/refuses at startup/);
  });

  it('SaaS console host with CA data: warn that the pin replaces the system roots', async () => {
    const probe = await collectWebhookProbe({ server: `https://127.0.0.1:${full.port}/x`, caPem: chain.root.cert });
    const finding = judge({ ...probe, host: 'us-east1.cloud.twistlock.com' });
    expect(finding.status).toBe('warn');
    expect(finding.summary).toMatch(/replaces the system roots with a pin that will break on the console's next certificate rotation/);
    expect(finding.remediation?.text).toMatch(/^Remove certificate-authority-data/);
  });
});

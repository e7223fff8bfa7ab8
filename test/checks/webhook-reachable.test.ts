import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateSafely } from '../../src/checks/run.js';
import { webhookReachable } from '../../src/checks/webhook-reachable.js';
import type { Finding } from '../../src/model/report.js';
import { closedPort, httpReceiver, httpsReceiver, silentTcpServer, type Receiver } from '../helpers/https-server.js';
import { makeChain, type Chain } from '../helpers/pki.js';
import { collectWebhookProbe, type WebhookKubeconfig } from '../helpers/webhook-facts.js';

let chain: Chain;
const open: Receiver[] = [];

beforeAll(() => {
  chain = makeChain();
});
afterAll(async () => {
  await Promise.all(open.map((r) => r.close()));
});

async function serve(start: Promise<Receiver>): Promise<Receiver> {
  const receiver = await start;
  open.push(receiver);
  return receiver;
}
const https = (status = 200, body = '') =>
  serve(httpsReceiver([chain.leaf.cert, chain.intermediate.cert], chain.leaf.key.privateKeyPem, { status, body }));

async function run(k: WebhookKubeconfig, timeoutMs = 2000): Promise<Finding> {
  const probe = await collectWebhookProbe({ caPem: chain.root.cert, ...k }, { timeoutMs });
  return evaluateSafely(webhookReachable, { webhookProbe: { ok: true, value: probe } }, new Date());
}

describe('webhook-reachable against live loopback endpoints', () => {
  it('200: pass, with the ladder as evidence', async () => {
    const receiver = await https();
    const finding = await run({ server: `https://127.0.0.1:${receiver.port}/api/v1/kubernetes/webhook/abc=` });
    expect(finding.status).toBe('pass');
    expect(finding.summary).toBe(
      `POST https://127.0.0.1:${receiver.port}/api/v1/kubernetes/webhook/abc=?timeout=30s answered HTTP 200 (whether kube-apiserver trusts the certificate is webhook-tls-chain's verdict)`,
    );
    expect(finding.evidence?.map((e) => e.message.split(':')[0])).toEqual(
      expect.arrayContaining(['dns', 'tcp', 'tls', 'http', 'clusters.0.cluster.server']),
    );
  });

  it('404: fail with the Go wording and the webhook path advice', async () => {
    const receiver = await https(404, '{"err":"not found"}');
    const finding = await run({ server: `https://127.0.0.1:${receiver.port}/api/v1/kubernetes/webhook/wrong` });
    expect(finding.status).toBe('fail');
    expect(finding.summary).toMatch(
      /answered HTTP 404; kube-apiserver counts it as a failed delivery \("the server could not find the requested resource"\)/,
    );
    expect(finding.remediation?.text).toMatch(/must end in \/api\/v1\/kubernetes\/webhook\/<webhookUrlSuffix>/);
    expect(finding.evidence).toContainEqual({ message: 'response body (first 200 chars): {"err":"not found"}' });
  });

  it('500: fail', async () => {
    const receiver = await https(500);
    expect((await run({ server: `https://127.0.0.1:${receiver.port}/x` })).summary).toMatch(/HTTP 500/);
  });

  it('closed port: fail, connection refused', async () => {
    const finding = await run({ server: `https://127.0.0.1:${await closedPort()}/x` });
    expect(finding.status).toBe('fail');
    expect(finding.summary).toMatch(
      /^nothing listens on 127\.0\.0\.1:(\d+); kube-apiserver logs "dial tcp 127\.0\.0\.1:\1: connect: connection refused"$/,
    );
  });

  it('silent server: fail with one TLS timeout', async () => {
    const receiver = await serve(silentTcpServer());
    const finding = await run({ server: `https://127.0.0.1:${receiver.port}/x` }, 300);
    expect(finding.summary).toMatch(/^TLS handshake with 127\.0\.0\.1:\d+ timed out/);
  });

  it('plain HTTP on an https:// URL: fail with the Go message', async () => {
    const receiver = await serve(httpReceiver());
    const finding = await run({ server: `https://127.0.0.1:${receiver.port}/x` });
    expect(finding.summary).toMatch(
      /speaks plain HTTP but clusters\.0\.cluster\.server says https:\/\/; kube-apiserver logs "http: server gave HTTP response to HTTPS client"/,
    );
  });

  it('http:// URL that works: pass', async () => {
    const receiver = await serve(httpReceiver());
    expect((await run({ server: `http://127.0.0.1:${receiver.port}/x` })).status).toBe('pass');
  });

  it('unresolvable host: fail', async () => {
    expect((await run({ server: 'https://console.invalid:8083/x' })).summary).toMatch(/^console\.invalid does not resolve from this node/);
  });

  it.each([
    ['127.0.0.1', '', 'pass'],
    ['console.example.com', '', 'warn'],
    ['console.example.com', '.example.com', 'pass'],
  ])('HTTPS_PROXY in the apiserver env, host %s, NO_PROXY=%j: %s (Go never proxies loopback)', async (host, noProxy, status) => {
    const receiver = await https();
    const env = [
      { name: 'HTTPS_PROXY', value: 'http://proxy:3128' },
      { name: 'NO_PROXY', value: noProxy },
    ];
    const probe = await collectWebhookProbe({ server: `https://127.0.0.1:${receiver.port}/x`, caPem: chain.root.cert }, { env });
    // The live POST went to loopback; the proxy decision is judged for the URL as the kubeconfig names it.
    const finding = evaluateSafely(
      webhookReachable,
      { webhookProbe: { ok: true, value: { ...probe, url: probe.url.replace('127.0.0.1', host) } } },
      new Date(),
    );
    expect(finding.status).toBe(status);
    if (status === 'warn')
      expect(finding.summary).toMatch(/through proxy http:\/\/proxy:3128 \(from HTTPS_PROXY in the kube-apiserver container's env\)/);
  });

  it('kubeconfig proxy-url: warn even when the direct POST works', async () => {
    const receiver = await https();
    const finding = await run({ server: `https://127.0.0.1:${receiver.port}/x`, proxyUrl: 'http://proxy:3128' });
    expect(finding.status).toBe('warn');
    expect(finding.summary).toMatch(
      /through proxy http:\/\/proxy:3128 \(from clusters\.0\.cluster\.proxy-url in \/etc\/kubernetes\/audit\/audit-webhook\.yaml\); this probe connected directly/,
    );
  });
});

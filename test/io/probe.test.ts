import { X509Certificate } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeWebhook } from '../../src/io/probe.js';
import type { ProbeResult } from '../../src/model/probe.js';
import { EMPTY_EVENT_LIST } from '../../src/io/webhook-post.js';
import { closedPort, httpReceiver, httpsReceiver, silentTcpServer, type Receiver } from '../helpers/https-server.js';
import { makeChain, type Chain } from '../helpers/pki.js';

let chain: Chain;
const open: Receiver[] = [];
beforeAll(() => {
  chain = makeChain();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function serve(start: Promise<Receiver>): Promise<Receiver> {
  const receiver = await start;
  open.push(receiver);
  return receiver;
}

const webhookPath = '/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=';
const probe = (url: string, anchors: string[] = [chain.root.cert], timeoutMs = 2000): Promise<ProbeResult> =>
  probeWebhook({ url, serverName: new URL(url).hostname, anchors, timeoutMs });
const ladder = (r: ProbeResult) => r.rungs.map((rung) => [rung.name, rung.ok ? 'ok' : rung.error?.kind]);

describe('probeWebhook against real loopback servers', () => {
  it('200: every rung ok, the presented chain recorded in order, the apiserver POST received', async () => {
    const receiver = await serve(httpsReceiver([chain.leaf.cert, chain.intermediate.cert], chain.leaf.key.privateKeyPem));
    const result = await probe(`https://127.0.0.1:${receiver.port}${webhookPath}?timeout=30s`);
    expect(ladder(result)).toEqual([
      ['dns', 'ok'],
      ['tcp', 'ok'],
      ['tls', 'ok'],
      ['http', 'ok'],
    ]);
    expect(result.presented?.map((pem) => new X509Certificate(pem).subject)).toEqual(['CN=localhost', 'CN=Test Intermediate CA']);
    expect(result.http).toEqual({ status: 200, bodyExcerpt: '' });
    expect(result.nodeVerification).toEqual({ authorized: true, error: null });
    expect(receiver.received).toEqual([
      { sni: false, method: 'POST', url: `${webhookPath}?timeout=30s`, contentType: 'application/json', body: EMPTY_EVENT_LIST },
    ]);
  });

  it('Node refuses an intermediate as the only anchor, which Go accepts: recorded for contrast', async () => {
    const receiver = await serve(httpsReceiver([chain.leaf.cert], chain.leaf.key.privateKeyPem));
    const result = await probe(`https://127.0.0.1:${receiver.port}/`, [chain.intermediate.cert]);
    expect(result.nodeVerification?.authorized).toBe(false);
    expect(result.presented).toHaveLength(1);
  });

  it.each([
    [404, 'the server could not find the requested resource'],
    [500, 'x'.repeat(500)],
  ])('HTTP %i: the http rung fails with the status and a body excerpt of at most 200 chars', async (status, body) => {
    const receiver = await serve(httpsReceiver([chain.leaf.cert, chain.intermediate.cert], chain.leaf.key.privateKeyPem, { status, body }));
    const result = await probe(`https://127.0.0.1:${receiver.port}${webhookPath}`);
    expect(ladder(result).at(-1)).toEqual(['http', 'http-status']);
    expect(result.http).toEqual({ status, bodyExcerpt: body.slice(0, 200) });
  });

  it('refused port: the tcp rung fails and nothing further is tried', async () => {
    const result = await probe(`https://127.0.0.1:${await closedPort()}/`);
    expect(ladder(result)).toEqual([
      ['dns', 'ok'],
      ['tcp', 'refused'],
    ]);
  });

  it('a server that never answers the handshake costs one timeout, then the ladder stops', async () => {
    const receiver = await serve(silentTcpServer());
    const started = performance.now();
    const result = await probe(`https://127.0.0.1:${receiver.port}/`, [chain.root.cert], 300);
    const elapsed = performance.now() - started;
    expect(ladder(result)).toEqual([
      ['dns', 'ok'],
      ['tcp', 'ok'],
      ['tls', 'timeout'],
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(800);
  });

  it('a server that takes the POST and never answers: one timeout on the http rung', async () => {
    const receiver = await serve(httpsReceiver([chain.leaf.cert, chain.intermediate.cert], chain.leaf.key.privateKeyPem, { hang: true }));
    const started = performance.now();
    const result = await probe(`https://127.0.0.1:${receiver.port}/`, [chain.root.cert], 300);
    expect(ladder(result)).toEqual([
      ['dns', 'ok'],
      ['tcp', 'ok'],
      ['tls', 'ok'],
      ['http', 'timeout'],
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(receiver.received).toHaveLength(1);
  });

  it('plain HTTP server behind an https:// URL', async () => {
    const receiver = await serve(httpReceiver());
    const result = await probe(`https://127.0.0.1:${receiver.port}/`);
    expect(ladder(result)).toEqual([
      ['dns', 'ok'],
      ['tcp', 'ok'],
      ['tls', 'plain-http'],
    ]);
    expect(result.rungs[2]?.error?.message).toBe('http: server gave HTTP response to HTTPS client');
  });

  it('http:// URL: no TLS rung, the POST goes in clear', async () => {
    const receiver = await serve(httpReceiver());
    const result = await probe(`http://127.0.0.1:${receiver.port}${webhookPath}?timeout=30s`);
    expect(ladder(result)).toEqual([
      ['dns', 'ok'],
      ['tcp', 'ok'],
      ['http', 'ok'],
    ]);
    expect(result.presented).toBeNull();
    expect(receiver.received).toHaveLength(1);
  });

  it('name that does not resolve', async () => {
    const result = await probe('https://console.invalid:8083/');
    expect(ladder(result)).toEqual([['dns', 'no-such-host']]);
  });

  it("tls-server-name is sent as SNI and used for Node's check; an IP host sends no SNI", async () => {
    const receiver = await serve(httpsReceiver([chain.leaf.cert, chain.intermediate.cert], chain.leaf.key.privateKeyPem));
    const named = await probeWebhook({
      url: `https://127.0.0.1:${receiver.port}/`,
      serverName: 'localhost',
      anchors: [chain.root.cert],
      timeoutMs: 2000,
    });
    expect(receiver.received.map((r) => r.sni)).toEqual(['localhost']);
    expect(named.nodeVerification).toEqual({ authorized: true, error: null });
    const other = await probeWebhook({
      url: `https://127.0.0.1:${receiver.port}/`,
      serverName: 'console.example.com',
      anchors: [chain.root.cert],
      timeoutMs: 2000,
    });
    expect(other.nodeVerification?.authorized).toBe(false);
  });

  it('localhost resolves and SNI carries the name', async () => {
    const receiver = await serve(httpsReceiver([chain.leaf.cert, chain.intermediate.cert], chain.leaf.key.privateKeyPem));
    const result = await probe(`https://localhost:${receiver.port}/`);
    expect(result.rungs[0]?.detail).toMatch(/^localhost resolved to /);
    expect(result.nodeVerification).toEqual({ authorized: true, error: null });
  });
});

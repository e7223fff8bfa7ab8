// The run's cancel (q, Esc, Ctrl-C) reaches every network client: each rejects with the abort at
// once, not at its --timeout, and the server sees its connection closed (nothing is left to keep
// the process alive). Servers on 127.0.0.1 accept and never answer: a TCP port for the handshake,
// a TLS server for the HTTP exchanges.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getAuditSettings } from '../../src/io/prisma-console.js';
import { openKube } from '../../src/io/kube.js';
import { probeWebhook } from '../../src/io/probe.js';
import { silentServer, type SilentServer } from '../helpers/silent-server.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prisma-abort-'));
});
const servers: SilentServer[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function silent(tls: boolean, bytes = 1): Promise<SilentServer> {
  const server = await silentServer(tls, bytes);
  servers.push(server);
  return server;
}

/** Aborts once the server has heard the client: the call must reject with the abort within 100 ms,
 * and the server see its connection closed within 500 ms. */
async function expectCutShort(server: SilentServer, call: (signal: AbortSignal) => Promise<unknown>) {
  const controller = new AbortController();
  const settled = call(controller.signal).then(
    () => {
      throw new Error('resolved although aborted');
    },
    (err: unknown) => ({ err, at: performance.now() }),
  );
  await server.spoken;
  const abortedAt = performance.now();
  controller.abort();
  const { err, at } = await settled;
  expect(err).toMatchObject({ name: 'AbortError' });
  expect(at - abortedAt).toBeLessThan(100);
  expect((await server.closed) - abortedAt).toBeLessThan(500);
}

const TIMEOUT_MS = 30_000;

describe('an abort cuts the network short', () => {
  it('the TLS probe: a handshake the server never answers', async () => {
    const server = await silent(false);
    await expectCutShort(server, (signal) =>
      probeWebhook({ url: `https://127.0.0.1:${server.port}/`, serverName: '127.0.0.1', anchors: [], timeoutMs: TIMEOUT_MS, signal }),
    );
  });

  it("the probe's POST (undici): a request the server never answers", async () => {
    // The probe's handshake connection says a ClientHello and is closed; the POST's then says more.
    const server = await silent(true, 'POST / HTTP/1.1'.length);
    await expectCutShort(server, (signal) =>
      probeWebhook({
        url: `https://127.0.0.1:${server.port}/`,
        serverName: '127.0.0.1',
        anchors: [server.ca],
        timeoutMs: TIMEOUT_MS,
        signal,
      }),
    );
  });

  it('the Prisma console client: an abort is not reported as a timeout', async () => {
    const server = await silent(true);
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, server.ca);
    await expectCutShort(server, (signal) =>
      getAuditSettings({ url: `https://localhost:${server.port}`, token: 't', caFile, timeoutMs: TIMEOUT_MS }, signal),
    );
  });

  it('the Kubernetes client: the run signal joins the deadline, and is no KubeTimeout', async () => {
    const server = await silent(false);
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    await writeFile(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:${server.port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: main, context: {cluster: c, user: u}}]\ncurrent-context: main\n`,
    );
    const client = openKube({ kubeconfig, context: null, timeoutMs: TIMEOUT_MS }, {});
    await expectCutShort(server, (signal) => client.request({ path: '/version', signal }));
  });
});

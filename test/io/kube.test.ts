// openKube and the request seam, without an apiserver: kubeconfig loading rules, and a deadline on
// every call (a server that never answers, a port that refuses).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, kubeClient } from '../../src/facts/cluster/api.js';
import { KubeTimeout, NoKubeconfig, memoKubeAccess } from '../../src/io/kube-client.js';
import { FactFailure } from '../../src/facts/collector.js';
import { openKube } from '../../src/io/kube.js';

let dir: string;
let silent: Server;
let silentPort: number;
const sockets = new Set<Socket>();
const saved = { ...process.env };

/** client-node accepts an http:// server only with insecure-skip-tls-verify. */
async function kubeconfig(server: string, contexts = ['main']): Promise<string> {
  const file = join(dir, `kc-${Math.random().toString(36).slice(2)}.yaml`);
  const ctx = contexts.map((name) => `{name: ${name}, context: {cluster: c, user: u}}`).join(', ');
  await writeFile(
    file,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${server}"${server.startsWith('http:') ? ', insecure-skip-tls-verify: true' : ''}}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [${ctx}]\ncurrent-context: ${contexts[0]}\n`,
  );
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prisma-kube-'));
  silent = createServer((s) => {
    sockets.add(s);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});
afterEach(() => {
  process.env = { ...saved };
});

describe('openKube', () => {
  it('treats the localhost:8080 fallback of loadFromDefault as no kubeconfig', () => {
    process.env = { PATH: saved.PATH, HOME: dir };
    expect(() => openKube({ kubeconfig: null, context: null, timeoutMs: 1000 }, process.env)).toThrow(NoKubeconfig);
  });

  it('makes every cluster fact `skip` with the reason when there is no kubeconfig', async () => {
    process.env = { PATH: saved.PATH, HOME: dir };
    const access = memoKubeAccess(async () => openKube({ kubeconfig: null, context: null, timeoutMs: 1000 }, process.env), undefined);
    await expect(kubeClient({ kube: access, offline: false })).rejects.toMatchObject({
      error: {
        reason: 'not-applicable',
        message: 'cluster checks skipped: no kubeconfig found (KUBECONFIG unset, no ~/.kube/config, not running in a pod)',
      },
    });
  });

  it('never opens the API with --offline', async () => {
    const access = memoKubeAccess(async () => {
      throw new Error('the API was contacted');
    }, undefined);
    await expect(kubeClient({ kube: access, offline: true })).rejects.toMatchObject({
      error: { reason: 'not-applicable', message: expect.stringContaining('--offline') },
    });
  });

  it('reads KUBECONFIG through the default rules', async () => {
    process.env = { PATH: saved.PATH, HOME: dir, KUBECONFIG: await kubeconfig('https://10.9.8.7:6443') };
    const client = openKube({ kubeconfig: null, context: null, timeoutMs: 1000 }, process.env);
    expect([client.server, client.source]).toEqual(['https://10.9.8.7:6443', `KUBECONFIG=${process.env.KUBECONFIG}`]);
  });

  it('names the contexts when --context is not among them', async () => {
    const file = await kubeconfig('https://10.9.8.7:6443', ['main', 'staging']);
    expect(() => openKube({ kubeconfig: file, context: 'prod', timeoutMs: 1000 }, {})).toThrow(
      `--context prod: no such context in --kubeconfig ${file} (contexts: main, staging)`,
    );
    expect(openKube({ kubeconfig: file, context: 'staging', timeoutMs: 1000 }, {}).context).toBe('staging');
  });

  it('reports a missing --kubeconfig file as no kubeconfig', () => {
    expect(() => openKube({ kubeconfig: join(dir, 'absent.yaml'), context: null, timeoutMs: 1000 }, {})).toThrow(NoKubeconfig);
  });
});

describe('requests carry the --timeout deadline', () => {
  it('rejects with KubeTimeout when the server never answers, and call() makes it a timeout fact', async () => {
    const client = openKube({ kubeconfig: await kubeconfig(`https://127.0.0.1:${silentPort}`), context: null, timeoutMs: 300 }, {});
    await expect(client.request({ path: '/version' })).rejects.toBeInstanceOf(KubeTimeout);
    const err = await call(client, 'list pods in kube-system', { path: '/api/v1/namespaces/kube-system/pods' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FactFailure);
    expect((err as FactFailure).error).toMatchObject({
      reason: 'timeout',
      message: 'list pods in kube-system: no answer from 127.0.0.1:' + silentPort + ' within 300 ms',
    });
  });

  it('turns a refused connection into an io fact, not a crash', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = openKube({ kubeconfig: await kubeconfig(`https://127.0.0.1:${port}`), context: null, timeoutMs: 1000 }, {});
    const err = (await call(client, 'get /version', { path: '/version' }).catch((e: unknown) => e)) as FactFailure;
    expect(err.error.reason).toBe('io');
    expect(err.error.message).toContain('ECONNREFUSED');
  });

  it('times out a body that starts and never ends, and cuts a body at maxBytes', async () => {
    const server = createHttpServer((req, res) => {
      res.writeHead(200);
      if (req.url === '/hang') return void res.write('partial');
      res.end('x'.repeat(100));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = openKube(
        { kubeconfig: await kubeconfig(`http://127.0.0.1:${(server.address() as { port: number }).port}`), context: null, timeoutMs: 300 },
        {},
      );
      await expect(client.request({ path: '/hang' })).rejects.toBeInstanceOf(KubeTimeout);
      expect(await client.request({ path: '/big', maxBytes: 10 })).toEqual({ status: 200, body: 'xxxxxxxxxx', truncated: true });
      expect(await client.request({ path: '/big', maxBytes: 100 })).toEqual({ status: 200, body: 'x'.repeat(100), truncated: false });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

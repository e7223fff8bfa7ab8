// A real etcd and kube-apiserver 1.20.2 on loopback for the cluster-mode tests: RBAC with a token
// file (one admin, any restricted users the test names), an audit policy and webhook of the test's
// choosing. Written before the shared harness of the tls branch landed; the lead may fold the two
// together (the shapes match: startEtcd, start/stop, freePort).
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';

const CACHE = process.env.PRISMA_AUDIT_CACHE ?? '/var/cache/prisma-audit';
export const APISERVER_BIN = process.env.KUBE_APISERVER ?? join(CACHE, 'bin/kube-apiserver');
export const ETCD_BIN = process.env.ETCD ?? '/usr/bin/etcd';
export const binariesPresent = (): boolean => existsSync(APISERVER_BIN) && existsSync(ETCD_BIN);

/** Skip with a message on a developer machine without the binaries; fail loudly in CI. */
export function requireBinaries(): boolean {
  if (binariesPresent()) return true;
  const message = `kube-apiserver (${APISERVER_BIN}) or etcd (${ETCD_BIN}) is missing: run scripts/prepare-apiserver.sh`;
  if (process.env.CI) throw new Error(`CI is set and the real-apiserver suite cannot run: ${message}`);
  console.warn(`skipping the real-apiserver tests: ${message}`);
  return false;
}

export const ADMIN_TOKEN = 'prisma-audit-admin-token';

interface Running {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function start(bin: string, args: string[]): Running {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

async function waitUntil(proc: Running, what: string, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`exited (${proc.child.exitCode}) before ${what}:\n${proc.output().slice(-3000)}`);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no ${what} within ${timeoutMs} ms:\n${proc.output().slice(-3000)}`);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RealApiserver {
  url: string;
  /** Writes a kubeconfig for a token (insecure-skip-tls-verify: the serving cert is self-generated). */
  kubeconfig(token: string): Promise<string>;
  /** Admin request, JSON body; returns the status and parsed body. */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  output(): string;
  stop(): Promise<void>;
}

export interface ApiserverOptions {
  /** user name -> token, for users without any RBAC grant unless the test adds one. */
  users: Record<string, string>;
  policy: string;
  webhookKubeconfig: string;
  extraFlags?: string[];
}

export async function startRealApiserver(opts: ApiserverOptions): Promise<RealApiserver> {
  const dir = await mkdtemp(join(tmpdir(), 'prisma-audit-cluster-'));
  const [etcdClient, etcdPeer, port] = [await freePort(), await freePort(), await freePort()];
  const etcdUrl = `http://127.0.0.1:${etcdClient}`;
  const etcd = start(ETCD_BIN, [
    '--name=default',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=${etcdUrl}`,
    `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
  ]);
  const insecure = new Agent({ connect: { rejectUnauthorized: false } });
  const stopAll = async () => {
    await etcd.stop();
    await insecure.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(etcd, 'etcd health', async () => {
      const res = await request(`${etcdUrl}/health`).catch(() => null);
      return res !== null && (await res.body.text()).includes('true');
    }, 30_000);
  } catch (err) {
    await stopAll();
    throw err;
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const files = { sa: join(dir, 'sa.key'), tokens: join(dir, 'tokens.csv'), policy: join(dir, 'policy.yaml'), webhook: join(dir, 'webhook.yaml') };
  const tokenLines = [`${ADMIN_TOKEN},admin,1,"system:masters"`, ...Object.entries(opts.users).map(([user, token], i) => `${token},${user},${i + 2}`)];
  await Promise.all([
    writeFile(files.sa, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    writeFile(files.tokens, tokenLines.join('\n') + '\n'),
    writeFile(files.policy, opts.policy),
    writeFile(files.webhook, opts.webhookKubeconfig),
  ]);
  const apiserver = start(APISERVER_BIN, [
    `--etcd-servers=${etcdUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${port}`,
    '--insecure-port=0',
    `--cert-dir=${join(dir, 'pki')}`,
    `--token-auth-file=${files.tokens}`,
    `--service-account-key-file=${files.sa}`,
    `--service-account-signing-key-file=${files.sa}`,
    '--service-account-issuer=https://kubernetes.default.svc',
    '--service-cluster-ip-range=10.96.0.0/24',
    '--authorization-mode=RBAC',
    // No controller-manager creates service accounts: pods would be refused without them.
    '--disable-admission-plugins=ServiceAccount',
    '--enable-priority-and-fairness=false',
    `--audit-policy-file=${files.policy}`,
    `--audit-webhook-config-file=${files.webhook}`,
    ...(opts.extraFlags ?? []),
  ]);
  const url = `https://127.0.0.1:${port}`;
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await request(`${url}${path}`, {
      method: method as 'GET',
      dispatcher: insecure,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // /metrics and /readyz are text
    }
    return { status: res.statusCode, body: parsed };
  };
  try {
    // RBAC bootstrap roles are written by a post-start hook; /readyz waits for them.
    await waitUntil(apiserver, 'readyz', async () => (await admin('GET', '/readyz').catch(() => ({ status: 0 }))).status === 200, 90_000);
  } catch (err) {
    await apiserver.stop();
    await stopAll();
    throw err;
  }
  return {
    url,
    admin,
    output: apiserver.output,
    async kubeconfig(token: string) {
      const file = join(dir, `kubeconfig-${token}.yaml`);
      await writeFile(
        file,
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters: [{name: real, cluster: {server: "' + url + '", insecure-skip-tls-verify: true}}]',
          'users: [{name: u, user: {token: "' + token + '"}}]',
          'contexts: [{name: real, context: {cluster: real, user: u}}]',
          'current-context: real',
          '',
        ].join('\n'),
      );
      return file;
    },
    async stop() {
      await apiserver.stop();
      await stopAll();
    },
  };
}

// A real etcd and kube-apiserver 1.20 on loopback, with the audit webhook pointed at a kubeconfig
// of the test's choosing. Built by scripts/prepare-apiserver.sh.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { makeChain, newKeyPair } from '../test/helpers/pki.js';
import { freePort, start, waitUntil, type Running } from './processes.js';

const CACHE = process.env.PRISMA_AUDIT_CACHE ?? '/var/cache/prisma-audit';
export const APISERVER_BIN = process.env.KUBE_APISERVER ?? join(CACHE, 'bin/kube-apiserver');
export const ETCD_BIN = process.env.ETCD ?? '/usr/bin/etcd';
export const binariesPresent = (): boolean => existsSync(APISERVER_BIN) && existsSync(ETCD_BIN);

export const TOKEN = 'prisma-audit-test-token';
/** Audits configmap writes only, so the webhook sees our request and not the apiserver's chatter. */
const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: Metadata
    resources: [{ group: "", resources: ["configmaps"] }]
    verbs: ["create"]
  - level: None
`;

const insecure = new Agent({ connect: { rejectUnauthorized: false } });

/** One request to a test API server as `token`'s user (certificate not verified); the answer's body is
 * parsed when it is a JSON object, else kept as text (pods/log). PATCH is a JSON merge patch. */
export async function apiRequest(
  base: string,
  token: string,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await request(`${base}${path}`, {
    method,
    dispatcher: insecure,
    headers: { authorization: `Bearer ${token}`, 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text.startsWith('{') ? JSON.parse(text) : text };
}

export interface Etcd {
  url: string;
  stop(): Promise<void>;
}

export async function startEtcd(): Promise<Etcd> {
  const dir = await mkdtemp(join(tmpdir(), 'prisma-audit-etcd-'));
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  const proc = start('etcd', ETCD_BIN, [
    '--name=default',
    `--data-dir=${dir}`,
    `--listen-client-urls=${url}`,
    `--advertise-client-urls=${url}`,
    `--listen-peer-urls=http://127.0.0.1:${peer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
    `--initial-cluster=default=http://127.0.0.1:${peer}`,
  ]);
  await waitUntil(
    proc,
    'etcd health',
    async () => {
      const res = await request(`${url}/health`).catch(() => null);
      return res !== null && (await res.body.text()).includes('true');
    },
    30_000,
  );
  return {
    url,
    async stop() {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Apiserver {
  port: number;
  proc: Running;
  /** Creates a configmap (in `namespace`, default "default"): one audited request. */
  auditedRequest(name: string, namespace?: string): Promise<number>;
  stop(): Promise<void>;
}

export interface ApiserverOptions {
  /** AlwaysAllow by default; RBAC for tests of refusals (TOKEN stays system:masters). */
  authorizationMode?: 'AlwaysAllow' | 'RBAC';
  /** More token-file users, name -> token, in no group: under RBAC they may do nothing until granted. */
  users?: Record<string, string>;
  /** The audit policy; by default configmap creates at Metadata; null: no --audit-policy-file at all. */
  policy?: string | null;
  /** More files beside the policy and the webhook kubeconfig (a CA file it names), name -> content;
   * a name ending in "/" is made a directory. */
  files?: Record<string, string>;
  /** Appended to the command line (a later flag wins, as in pflag); a function gets the files' directory. */
  flags?: string[] | ((dir: string) => string[]);
}

/** A kube-apiserver process just spawned: not yet known to be serving. `dir` holds its files
 * (policy.yaml, audit-webhook.yaml and opts.files). */
export interface LaunchedApiserver {
  port: number;
  proc: Running;
  dir: string;
  stop(): Promise<void>;
}

/** Spawns kube-apiserver with `webhookKubeconfig` as --audit-webhook-config-file (none when null)
 * and returns at once. Retries are made fast (initial backoff 100 ms, 5 steps) so a failing webhook
 * is logged within about a second. */
export async function launchApiserver(
  etcd: Etcd,
  webhookKubeconfig: string | null,
  opts: ApiserverOptions = {},
): Promise<LaunchedApiserver> {
  const dir = await mkdtemp(join(tmpdir(), 'prisma-audit-apiserver-'));
  const serving = makeChain({ name: 'Apiserver' });
  const sa = newKeyPair();
  const files = {
    cert: join(dir, 'serving.pem'),
    key: join(dir, 'serving-key.pem'),
    sa: join(dir, 'sa.key'),
    tokens: join(dir, 'tokens.csv'),
    policy: join(dir, 'policy.yaml'),
    webhook: join(dir, 'audit-webhook.yaml'),
  };
  const policy = opts.policy === undefined ? POLICY : opts.policy;
  await Promise.all([
    writeFile(files.cert, serving.leaf.cert + serving.intermediate.cert),
    writeFile(files.key, serving.leaf.key.privateKeyPem),
    writeFile(files.sa, sa.privateKeyPem),
    writeFile(
      files.tokens,
      [
        `${TOKEN},admin,1,"system:masters"`,
        ...Object.entries(opts.users ?? {}).map(([user, token], i) => `${token},${user},${i + 2}`),
        '',
      ].join('\n'),
    ),
    ...(policy === null ? [] : [writeFile(files.policy, policy)]),
    ...(webhookKubeconfig === null ? [] : [writeFile(files.webhook, webhookKubeconfig)]),
    ...Object.entries(opts.files ?? {}).map(([name, content]) =>
      name.endsWith('/') ? mkdir(join(dir, name)) : writeFile(join(dir, name), content),
    ),
  ]);
  const port = await freePort();
  const proc = start('kube-apiserver', APISERVER_BIN, [
    `--etcd-servers=${etcd.url}`,
    `--etcd-prefix=/registry-${port}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${port}`,
    '--insecure-port=0',
    `--cert-dir=${dir}`,
    `--tls-cert-file=${files.cert}`,
    `--tls-private-key-file=${files.key}`,
    `--token-auth-file=${files.tokens}`,
    `--service-account-key-file=${files.sa}`,
    `--service-account-signing-key-file=${files.sa}`,
    '--service-account-issuer=https://kubernetes.default.svc',
    '--service-cluster-ip-range=10.96.0.0/24',
    `--authorization-mode=${opts.authorizationMode ?? 'AlwaysAllow'}`,
    '--enable-priority-and-fairness=false',
    ...(policy === null ? [] : [`--audit-policy-file=${files.policy}`]),
    ...(webhookKubeconfig === null ? [] : [`--audit-webhook-config-file=${files.webhook}`]),
    '--audit-webhook-batch-max-wait=1s',
    '--audit-webhook-initial-backoff=100ms',
    ...(typeof opts.flags === 'function' ? opts.flags(dir) : (opts.flags ?? [])),
  ]);
  return {
    port,
    proc,
    dir,
    async stop() {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Starts kube-apiserver (see launchApiserver) and waits until it serves the default namespace. */
export async function startApiserver(etcd: Etcd, webhookKubeconfig: string, opts: ApiserverOptions = {}): Promise<Apiserver> {
  const { port, proc, stop } = await launchApiserver(etcd, webhookKubeconfig, opts);
  const base = `https://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${TOKEN}` };
  // readyz turns 200 before the bootstrap controller has created the default namespace.
  await waitUntil(
    proc,
    'namespace default',
    async () => {
      const res = await request(`${base}/api/v1/namespaces/default`, { dispatcher: insecure, headers }).catch(() => null);
      if (!res) return false;
      await res.body.dump();
      return res.statusCode === 200;
    },
    90_000,
  );
  return {
    port,
    proc,
    async auditedRequest(name: string, namespace = 'default') {
      const res = await request(`${base}/api/v1/namespaces/${namespace}/configmaps`, {
        method: 'POST',
        dispatcher: insecure,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' } }),
      });
      await res.body.dump();
      return res.statusCode;
    },
    stop,
  };
}

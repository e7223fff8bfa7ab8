// Delivery capacity against a real kube-apiserver 1.20.2: a webhook throttled to 1 event/s with a
// 5-event buffer, a receiver that never answers, and a bounded loop of API calls on 127.0.0.1.
// The sampled /metrics must show the rate above capacity and the buffer dropping events.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoKubeAccess } from '../src/io/kube-client.js';
import { CHECKS } from '../src/checks/index.js';
import { runChecks } from '../src/checks/run.js';
import { liveFacts } from '../src/facts/gather.js';
import { COLLECTORS } from '../src/facts/index.js';
import { openKube } from '../src/io/kube.js';
import { httpsReceiver, type Receiver } from '../test/helpers/https-server.js';
import { makeChain } from '../test/helpers/pki.js';
import { APISERVER_BIN, TOKEN, binariesPresent, startApiserver, startEtcd, type Apiserver, type Etcd } from './cluster.js';

const present = binariesPresent();
if (!present && process.env.CI) throw new Error(`CI is set but ${APISERVER_BIN} is missing: run scripts/prepare-apiserver.sh`);

const TIGHT = [
  '--audit-webhook-batch-buffer-size=5',
  '--audit-webhook-batch-max-size=1',
  '--audit-webhook-batch-throttle-qps=1',
  '--audit-webhook-batch-throttle-burst=1',
];
const LOAD_CALLS = 400;
const insecure = new Agent({ connect: { rejectUnauthorized: false } });

describe.skipIf(!present)('delivery capacity on a real kube-apiserver 1.20.2', () => {
  let etcd: Etcd;
  let receiver: Receiver;
  let api: Apiserver;
  let dir: string;
  const url = () => `https://127.0.0.1:${api.port}`;

  async function call(method: string, path: string, body: unknown): Promise<number> {
    const res = await request(`${url()}${path}`, {
      method: method as 'POST',
      dispatcher: insecure,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await res.body.dump();
    return res.statusCode;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prisma-capacity-'));
    const chain = makeChain({ name: 'Console' });
    // The slow console: reads each batch and never answers, so every POST waits out its timeout.
    receiver = await httpsReceiver([chain.leaf.cert, chain.intermediate.cert], chain.leaf.key.privateKeyPem, { hang: true });
    const webhook = `apiVersion: v1\nkind: Config\nclusters: [{name: p, cluster: {server: "https://127.0.0.1:${receiver.port}/api/v1/kubernetes/webhook/x", certificate-authority-data: "${Buffer.from(chain.root.cert).toString('base64')}"}}]\ncontexts: [{name: w, context: {cluster: p}}]\ncurrent-context: w\n`;
    etcd = await startEtcd();
    api = await startApiserver(etcd, webhook, { flags: ['--disable-admission-plugins=ServiceAccount', ...TIGHT] });
    // The mirror pod the check reads the webhook settings from, as on a kubeadm node.
    expect(await call('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'cp1' } })).toBe(201);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'kube-apiserver-cp1', namespace: 'kube-system', labels: { component: 'kube-apiserver', tier: 'control-plane' } },
      spec: {
        nodeName: 'cp1',
        hostNetwork: true,
        containers: [
          {
            name: 'kube-apiserver',
            image: 'registry.k8s.io/kube-apiserver:v1.20.2',
            command: ['kube-apiserver', '--audit-policy-file=/p', '--audit-webhook-config-file=/w', ...TIGHT],
          },
        ],
      },
    };
    expect(await call('POST', '/api/v1/namespaces/kube-system/pods', pod)).toBe(201);
  }, 150_000);

  afterAll(async () => {
    await api?.stop();
    await etcd?.stop();
    await receiver?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('warns with the peak rate over qps x max size, the dropped events, and the flag values that fit', async () => {
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    await writeFile(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters: [{name: r, cluster: {server: "${url()}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: "${TOKEN}"}}]\ncontexts: [{name: r, context: {cluster: r, user: u}}]\ncurrent-context: r\n`,
    );
    const kube = memoKubeAccess(async () => openKube({ kubeconfig, context: null, timeoutMs: 10_000 }, {}), undefined, 8_000);
    const now = new Date();
    const source = liveFacts(
      { root: '/nonexistent', manifest: null, kubernetesVersion: null, timeoutMs: 10_000, offline: false, now, kube, console: null },
      COLLECTORS,
      30_000,
    );
    // The load: a bounded loop of audited writes (ConfigMap creates), ten at a time, during the window.
    const load = (async () => {
      for (let i = 0; i < LOAD_CALLS; i += 10) {
        await Promise.all(
          Array.from({ length: 10 }, (_x, j) =>
            call('POST', '/api/v1/namespaces/default/configmaps', {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: `load-${i + j}` },
            }),
          ),
        );
      }
    })();
    const report = await runChecks(
      CHECKS.filter((c) => c.id === 'audit-capacity'),
      source,
      { offline: false, now, tool: { name: 'prisma-audit', version: 'test' }, target: { root: '/', demo: false, offline: false } },
    );
    await load;
    const r = report.checks[0]!;
    expect(r.status, JSON.stringify(r, null, 2)).toBe('warn');
    expect(r.summary).toMatch(
      /^peak \d+(\.\d)? events\/s x 2 exceeds the webhook capacity of 1 events\/s; at the peak the 5-event buffer is full in \d+ s, then events are dropped$/,
    );
    expect(r.evidence.map((e) => e.message)).toContainEqual(
      expect.stringMatching(
        /^apiserver_audit_error_total\{plugin="buffered"\} rose by \d+: events were dropped because the buffer was full$/,
      ),
    );
    expect(r.evidence[1]!.message).toContain('--audit-webhook-batch-throttle-qps=1');
    expect(r.remediation?.text).toMatch(/--audit-webhook-batch-throttle-qps=\d+ \(with --audit-webhook-batch-max-size=1: \d+ events\/s\)/);
  }, 120_000);
});

// Cluster mode against a real kube-apiserver 1.20.2: three apiserver pods (one divergent) created
// in kube-system, the real /metrics with a real audit webhook posting to a loopback HTTPS
// receiver, a canary write, and RBAC refusals with restricted tokens.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoKubeAccess } from '../src/io/kube-client.js';
import { CLUSTER_CHECKS } from '../src/checks/cluster-checks.js';
import { CHECKS } from '../src/checks/index.js';
import { runChecks } from '../src/checks/run.js';
import { liveFacts } from '../src/facts/gather.js';
import type { CheckResult } from '../src/model/report.js';
import { COLLECTORS } from '../src/facts/index.js';
import { openKube } from '../src/io/kube.js';
import { decompressed } from '../test/helpers/archive.js';
import { httpsReceiver, type Receiver, type ReceiverOptions } from '../test/helpers/https-server.js';
import { makeChain } from '../test/helpers/pki.js';
import { APISERVER_BIN, TOKEN as ADMIN_TOKEN, binariesPresent, startApiserver, startEtcd, type Apiserver, type Etcd } from './cluster.js';

const SUFFIX = 'Rov4TLMx1UiaJuP99OyulwQVUT0=';
/** The Prisma Cloud recommended policy (domain.md 1.3). */
const PRISMA_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived", "ResponseStarted"]
rules:
  - level: Request
    resources: [{ group: "", resources: ["pods/exec", "pods/attach"] }]
  - level: Request
    verbs: ["create"]
    resources: [{ group: "", resources: ["pods"] }]
  - level: Request
    verbs: ["create", "update", "patch", "delete"]
    namespaces: ["twistlock"]
  - level: None
`;
const USERS = { nobody: 'nobody-token', podlister: 'podlister-token' };

/** What a kubeadm node's apiserver pod looks like; `webhook: false` leaves the webhook flag out. */
function apiserverPod(node: string, opts: { webhook: boolean }) {
  const flags = [
    'kube-apiserver',
    '--advertise-address=10.0.0.1',
    '--audit-policy-file=/etc/kubernetes/audit/policy.yaml',
    ...(opts.webhook ? ['--audit-webhook-config-file=/etc/kubernetes/audit/webhook.yaml'] : []),
    '--audit-webhook-batch-max-wait=2s',
    '--etcd-servers=https://127.0.0.1:2379',
  ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `kube-apiserver-${node}`,
      namespace: 'kube-system',
      labels: { component: 'kube-apiserver', tier: 'control-plane' },
      annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': '10.0.0.1:6443' },
    },
    spec: {
      nodeName: node,
      hostNetwork: true,
      containers: [
        {
          name: 'kube-apiserver',
          image: 'k8s.gcr.io/kube-apiserver:v1.20.2',
          command: flags,
          volumeMounts: [
            { name: 'k8s-certs', mountPath: '/etc/kubernetes/pki', readOnly: true },
            { name: 'audit', mountPath: '/etc/kubernetes/audit', readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: 'k8s-certs', hostPath: { path: '/etc/kubernetes/pki', type: 'DirectoryOrCreate' } },
        { name: 'audit', hostPath: { path: node === 'node-c' ? '/srv/audit' : '/etc/kubernetes/audit', type: 'Directory' } },
      ],
    },
  };
}

const present = binariesPresent();
if (!present && process.env.CI) {
  throw new Error(
    `kube-apiserver or etcd missing (${APISERVER_BIN}); CI is set, so this suite must run: bash scripts/prepare-apiserver.sh`,
  );
}
if (!present)
  console.warn(`skipping cluster mode against a real apiserver: ${APISERVER_BIN} or etcd is missing (bash scripts/prepare-apiserver.sh)`);

const insecure = new Agent({ connect: { rejectUnauthorized: false } });

describe.skipIf(!present)('cluster mode against kube-apiserver 1.20.2', () => {
  let etcd: Etcd;
  let api: Apiserver;
  let receiver: Receiver;
  /** Read by the receiver on every request: setting status makes webhook batches fail. */
  const receiverAnswer: ReceiverOptions = { status: 200 };
  let dir: string;
  const url = () => `https://127.0.0.1:${api.port}`;

  async function admin(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<number> {
    const res = await request(`${url()}${path}`, {
      method,
      dispatcher: insecure,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    await res.body.dump();
    return res.statusCode;
  }

  /** A kubeconfig for `token` (insecure-skip-tls-verify: the test apiserver's CA is not at hand). */
  async function kubeconfigFor(token: string): Promise<string> {
    const file = join(dir, `kubeconfig-${token}.yaml`);
    await writeFile(
      file,
      `apiVersion: v1\nkind: Config\nclusters: [{name: real, cluster: {server: "${url()}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: "${token}"}}]\ncontexts: [{name: real, context: {cluster: real, user: u}}]\ncurrent-context: real\n`,
    );
    return file;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prisma-cluster-mode-'));
    const chain = makeChain({ name: 'Console' });
    receiver = await httpsReceiver([chain.leaf.cert, chain.intermediate.cert], chain.leaf.key.privateKeyPem, receiverAnswer);
    const webhookKubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: prisma, cluster: {server: "https://127.0.0.1:${receiver.port}/api/v1/kubernetes/webhook/${SUFFIX}", certificate-authority-data: "${Buffer.from(chain.root.cert).toString('base64')}"}}]`,
      'contexts: [{name: webhook, context: {cluster: prisma, user: kube-apiserver}}]',
      'current-context: webhook',
      '',
    ].join('\n');
    etcd = await startEtcd();
    api = await startApiserver(etcd, webhookKubeconfig, {
      authorizationMode: 'RBAC',
      users: USERS,
      policy: PRISMA_POLICY,
      // No controller-manager creates service accounts: pods would be refused without this.
      flags: ['--disable-admission-plugins=ServiceAccount'],
    });
    for (const node of ['node-a', 'node-b', 'node-c']) {
      expect(
        await admin('POST', '/api/v1/nodes', {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: node, labels: { 'node-role.kubernetes.io/control-plane': '' } },
        }),
      ).toBe(201);
      expect(await admin('POST', '/api/v1/namespaces/kube-system/pods', apiserverPod(node, { webhook: node !== 'node-c' }))).toBe(201);
    }
    expect(await admin('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'twistlock' } })).toBe(201);
    const clusterConfiguration = [
      'apiVersion: kubeadm.k8s.io/v1beta2',
      'kind: ClusterConfiguration',
      'apiServer:',
      '  extraArgs:',
      '    audit-policy-file: /etc/kubernetes/audit/policy.yaml',
      '    audit-webhook-config-file: /etc/kubernetes/audit/webhook.yaml',
      '',
    ].join('\n');
    expect(
      await admin('POST', '/api/v1/namespaces/kube-system/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'kubeadm-config' },
        data: { ClusterConfiguration: clusterConfiguration },
      }),
    ).toBe(201);
    // podlister may list pods in kube-system but not read their logs.
    await admin('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/kube-system/roles', {
      metadata: { name: 'pod-lister' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list', 'get'] }],
    });
    await admin('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/kube-system/rolebindings', {
      metadata: { name: 'pod-lister' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-lister' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'podlister' }],
    });
  }, 150_000);

  afterAll(async () => {
    await api?.stop();
    await etcd?.stop();
    await receiver?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function doctor(
    token: string,
    canary?: string | null,
    only?: string[],
    root = '/nonexistent',
  ): Promise<Record<string, CheckResult>> {
    const kubeconfig = await kubeconfigFor(token);
    const kube = memoKubeAccess(async () => openKube({ kubeconfig, context: null, timeoutMs: 10_000 }, {}), canary);
    const now = new Date();
    const source = liveFacts(
      { root, manifest: null, kubernetesVersion: null, timeoutMs: 10_000, offline: false, now, kube, console: null },
      COLLECTORS,
      30_000,
    );
    const checks = only ? CHECKS.filter((c) => only.includes(c.id)) : CLUSTER_CHECKS;
    const report = await runChecks(checks, source, {
      offline: false,
      now,
      tool: { name: 'prisma-audit', version: 'test' },
      target: { root: '/', demo: false, offline: false },
    });
    return Object.fromEntries(report.checks.map((c) => [c.id, c]));
  }

  it('runs the manifest checks on every apiserver pod, labelled by node', async () => {
    const r = await doctor(ADMIN_TOKEN, undefined, [
      'control-plane-apiservers',
      'control-plane-consistent',
      'managed-control-plane',
      'kubeadm-config-durable',
    ]);
    const pods = r['control-plane-apiservers']!;
    expect(pods.status).toBe('fail');
    expect(pods.summary).toContain('node-c: audit-webhook-flag');
    expect(pods.evidence.map((e) => e.message)).toContain(
      'node-a: audit-webhook-flag pass: --audit-webhook-config-file=/etc/kubernetes/audit/webhook.yaml (pod kube-system/kube-apiserver-node-a (node node-a))',
    );
    const consistent = r['control-plane-consistent']!;
    expect(consistent.status).toBe('fail');
    expect(consistent.summary).toMatch(/^node-c differs/);
    expect(consistent.evidence).toContainEqual(
      expect.objectContaining({
        message: 'node-c: --audit-webhook-config-file = (not set)',
        expected: '/etc/kubernetes/audit/webhook.yaml',
      }),
    );
    expect(consistent.evidence).toContainEqual(
      expect.objectContaining({
        message: 'node-c: policy host path = /srv/audit/policy.yaml',
        expected: '/etc/kubernetes/audit/policy.yaml',
      }),
    );
    expect(r['managed-control-plane']!.status).toBe('pass');
    const durable = r['kubeadm-config-durable']!;
    expect(durable.status).toBe('warn');
    expect(durable.evidence.map((e) => e.message)).toContain(
      'not in kubeadm-config: extraVolumes audit: hostPath /etc/kubernetes/audit at /etc/kubernetes/audit',
    );
    expect(durable.evidence.map((e) => e.message)).toContain('not in kubeadm-config: extraArgs audit-webhook-batch-max-wait: 2s');
  });

  it('reads pod logs through the API without crashing when no kubelet serves them', async () => {
    const r = await doctor(ADMIN_TOKEN, undefined, ['apiserver-logs']);
    const logs = r['apiserver-logs']!;
    expect(logs.status).toBe('unknown');
    expect(logs.summary).toBe('no apiserver log could be read');
    expect(logs.evidence.some((e) => e.message.startsWith('node-a: current log not read: the API server answered'))).toBe(true);
  });

  it('reads current and previous logs through the API from a stand-in kubelet and scans them', async () => {
    // The apiserver proxies pods/log to the kubelet at the node's address and kubelet port, and
    // (without --kubelet-certificate-authority) does not verify its certificate.
    const chain = makeChain({ name: 'Kubelet' });
    const current =
      'E1127 08:00:00.000000       1 metrics.go:109] Error in audit plugin \'webhook\' affecting 2 audit events: Post "https://console:8083/api/v1/kubernetes/webhook/x?timeout=30s": x509: certificate signed by unknown authority\n';
    const previous = 'Error: unknown flag: --audit-dynamic-configuration\n';
    const asked: string[] = [];
    const kubelet = createServer({ cert: chain.leaf.cert + chain.intermediate.cert, key: chain.leaf.key.privateKeyPem }, (req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/plain' }).end(req.url?.includes('previous=true') ? previous : current);
    });
    await new Promise<void>((resolve) => kubelet.listen(0, '127.0.0.1', resolve));
    const port = (kubelet.address() as AddressInfo).port;
    try {
      for (const node of ['node-a', 'node-b', 'node-c']) {
        const status = {
          status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } },
        };
        expect(await admin('PATCH', `/api/v1/nodes/${node}/status`, status)).toBe(200);
      }
      const logs = (await doctor(ADMIN_TOKEN, undefined, ['apiserver-logs']))['apiserver-logs']!;
      expect(logs.status).toBe('fail');
      expect(logs.summary).toBe(
        'node-a (previous log): the removed --audit-dynamic-configuration flag is still set (1x; see dynamic-audit-leftovers)',
      );
      expect(logs.evidence.map((e) => e.message)).toContain('node-b: current log, ' + current.length + ' bytes, 1 known signature(s)');
      expect(asked).toContain('/containerLogs/kube-system/kube-apiserver-node-a/kube-apiserver?limitBytes=4194304&tailLines=5000');
      expect(asked).toContain(
        '/containerLogs/kube-system/kube-apiserver-node-a/kube-apiserver?limitBytes=4194304&previous=true&tailLines=5000',
      );
    } finally {
      kubelet.closeAllConnections();
      kubelet.close();
    }
  });

  it('proves delivery with a canary: the event counter rises, the webhook receives the write', async () => {
    const before = receiver.received.length;
    const r = await doctor(ADMIN_TOKEN, null, ['audit-delivery']);
    const delivery = r['audit-delivery']!;
    expect(delivery.summary).toMatch(/^events flow: \+\d+ audit event\(s\) and no webhook error during the canary$/);
    expect(delivery.status).toBe('pass');
    const received = receiver.received
      .slice(before)
      .map((r) => r.body)
      .join('\n');
    expect(received).toContain('"namespace":"twistlock"');
    expect(received).toContain('prisma-audit-canary-');
  }, 90_000);

  it('fails delivery when the webhook answers 500: apiserver_audit_error_total{plugin="webhook"} rises', async () => {
    receiverAnswer.status = 500;
    try {
      const r = await doctor(ADMIN_TOKEN, 'twistlock', ['audit-delivery']);
      expect(r['audit-delivery']!.status).toBe('fail');
      expect(r['audit-delivery']!.summary).toMatch(
        /webhook batches fail: apiserver_audit_error_total\{plugin="webhook"\} rose by \d+ during the canary/,
      );
    } finally {
      receiverAnswer.status = 200;
    }
  }, 90_000);

  it('reports RBAC refusals as unknown, naming the verb and resource', async () => {
    const nobody = await doctor(USERS.nobody, null);
    expect(nobody['control-plane-apiservers']!.status).toBe('unknown');
    expect(nobody['control-plane-apiservers']!.summary).toBe('could not look: RBAC forbids list pods in kube-system (403 Forbidden)');
    expect(nobody['audit-delivery']!.status).toBe('unknown');
    expect(nobody['audit-delivery']!.summary).toBe('could not look: RBAC forbids get the non-resource URL /metrics (403 Forbidden)');
    expect(nobody['kubeadm-config-durable']!.summary).toBe('could not look: RBAC forbids get configmaps in kube-system (403 Forbidden)');
    const lister = await doctor(USERS.podlister, undefined, ['apiserver-logs', 'control-plane-consistent']);
    expect(lister['control-plane-consistent']!.status).toBe('fail');
    expect(lister['apiserver-logs']!.summary).toBe('could not look: RBAC forbids get pods/log in kube-system (403 Forbidden)');
  }, 60_000);

  it('runs from the built CLI: node checks on a fixture root plus cluster checks, exit code 3', async () => {
    execFileSync('node_modules/.bin/tsc', ['-p', 'tsconfig.json'], { stdio: 'inherit' });
    const kubeconfig = await kubeconfigFor(ADMIN_TOKEN);
    const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      spawnSync('node', ['dist/cli.js', 'doctor', '--root', 'fixtures/scenarios/kubeadm-healthy/root', '-o', 'json', ...args], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: '/nonexistent', ...env },
      });
    // A failed run's stderr says why; JSON.parse of its empty stdout would not.
    const checksOf = (r: ReturnType<typeof cli>) => {
      expect(r.stdout, `exit ${r.status}: ${r.stderr}`).toMatch(/^\{/);
      return (JSON.parse(r.stdout) as { checks: CheckResult[] }).checks;
    };
    const run = cli(['--kubeconfig', kubeconfig]);
    const statuses = Object.fromEntries(checksOf(run).map((c) => [c.id, c.status]));
    expect(run.status).toBe(3);
    expect(statuses).toMatchObject({
      'apiserver-manifest': 'pass',
      'audit-webhook-flag': 'pass',
      'control-plane-consistent': 'fail',
      'managed-control-plane': 'pass',
      'prisma-webhook-url': 'skip',
    });
    const viaEnv = cli(['--only', 'control-plane-consistent'], { KUBECONFIG: kubeconfig });
    expect(checksOf(viaEnv)[0]!.status).toBe('fail');
    // A --context the kubeconfig lacks is a usage error (exit 2, nothing checked), named with the contexts it has.
    const badContext = cli(['--kubeconfig', kubeconfig, '--context', 'nope', '--only', 'control-plane-consistent']);
    expect(badContext.status).toBe(2);
    expect(badContext.stdout).toBe('');
    expect(badContext.stderr).toContain(`--context nope: no such context in ${kubeconfig}; its contexts: real`);
  }, 180_000);

  it('bundle --kubeconfig records the cluster facts, redacted, and --from-bundle judges them as doctor did', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prisma-cluster-bundle-'));
    // kubeconfigFor names its file after the token; the bundle records the kubeconfig's path.
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    await copyFile(await kubeconfigFor(ADMIN_TOKEN), kubeconfig);
    try {
      const out = join(dir, 'bundle.tar.gz');
      const env = { PATH: process.env.PATH, HOME: '/nonexistent' };
      const root = 'fixtures/scenarios/kubeadm-healthy/root';
      const made = spawnSync('node', ['dist/cli.js', 'bundle', '--root', root, '--out', out, '--kubeconfig', kubeconfig], {
        encoding: 'utf8',
        env,
      });
      expect(made.status, made.stderr).toBe(0);
      // The bearer token in the kubeconfig never reaches the archive.
      expect(decompressed(out).toString('latin1')).not.toContain(ADMIN_TOKEN);
      const replay = spawnSync('node', ['dist/cli.js', 'doctor', '--from-bundle', out, '-o', 'json'], { encoding: 'utf8', env });
      const live = spawnSync('node', ['dist/cli.js', 'doctor', '--root', root, '-o', 'json', '--kubeconfig', kubeconfig], {
        encoding: 'utf8',
        env,
      });
      const statuses = (r: typeof replay) => {
        expect(r.stdout, r.stderr).toMatch(/^\{/);
        return Object.fromEntries((JSON.parse(r.stdout) as { checks: CheckResult[] }).checks.map((c) => [c.id, c.status]));
      };
      const [recorded, now] = [statuses(replay), statuses(live)];
      expect(recorded['control-plane-consistent']).toBe('fail');
      for (const id of CLUSTER_CHECKS.map((c) => c.id)) expect(recorded[id], id).toBe(now[id]);
      // Without a cluster option, the cluster checks of the bundle say they were skipped.
      const nodeOnly = join(dir, 'node.tar.gz');
      expect(spawnSync('node', ['dist/cli.js', 'bundle', '--root', root, '--out', nodeOnly], { encoding: 'utf8', env }).status).toBe(0);
      const skipped = statuses(
        spawnSync('node', ['dist/cli.js', 'doctor', '--from-bundle', nodeOnly, '-o', 'json'], { encoding: 'utf8', env }),
      );
      expect(skipped['control-plane-consistent']).toBe('skip');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);

  // Last: labelling a node as an EKS node group turns the whole cluster into a managed one.
  it('recognises a managed control plane from node labels and skips the node checks', async () => {
    expect(
      await admin('POST', '/api/v1/nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'ng-1', labels: { 'eks.amazonaws.com/nodegroup': 'workers' } },
      }),
    ).toBe(201);
    const r = await doctor(
      ADMIN_TOKEN,
      undefined,
      ['managed-control-plane', 'apiserver-manifest', 'audit-webhook-flag'],
      'fixtures/scenarios/kubeadm-healthy/root',
    );
    expect(r['managed-control-plane']).toMatchObject({
      status: 'warn',
      summary: expect.stringMatching(/^Amazon EKS: Prisma Cloud reads EKS audit events from CloudWatch Logs/),
    });
    expect(r['managed-control-plane']!.evidence).toContainEqual({ message: '1 node(s) labelled eks.amazonaws.com/nodegroup' });
    for (const id of ['apiserver-manifest', 'audit-webhook-flag']) {
      expect(r[id]).toMatchObject({
        status: 'skip',
        summary: 'Amazon EKS manages kube-apiserver: node-level audit checks do not apply (see managed-control-plane)',
      });
    }
  });
});

// Fleet mode against a real kube-apiserver 1.20.2 with no kubelet: 200 Node objects, the real CLI
// process with exactly the RBAC that --print-manifests grants, every node reported unknown ("pod
// never started") within one deadline plus 20 %, every pod deleted, peak RSS under 200 MB; and the
// refusals (RBAC, PodSecurity) said plainly.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetManifests } from '../src/kube/fleet/manifests.js';
import { CLI, runCli, scenarioRoot } from '../test/helpers/cli.js';
import { startSimKubelets } from './sim-kubelet.js';
import {
  APISERVER_BIN,
  TOKEN as ADMIN_TOKEN,
  apiRequest,
  binariesPresent,
  startApiserver,
  startEtcd,
  type Apiserver,
  type Etcd,
} from './cluster.js';

const NODES = 200;
/** The audit webhook is not what this suite is about: a valid kubeconfig whose endpoint nothing serves. */
const WEBHOOK_NOWHERE =
  'apiVersion: v1\nkind: Config\nclusters: [{name: w, cluster: {server: "https://127.0.0.1:1/w"}}]\ncontexts: [{name: w, context: {cluster: w}}]\ncurrent-context: w\n';
const DEADLINE_S = 20;
const USERS = { fleet: 'fleet-token', nobody: 'nobody-token' };

const present = binariesPresent();
if (!present && process.env.CI)
  throw new Error(
    `kube-apiserver or etcd missing (${APISERVER_BIN}); CI is set, so this suite must run: bash scripts/prepare-apiserver.sh`,
  );
if (!present)
  console.warn(`skipping fleet mode against a real apiserver: ${APISERVER_BIN} or etcd is missing (bash scripts/prepare-apiserver.sh)`);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** VmHWM of the CLI process, read until it exits (kB). */
  peakRssKb: number;
}

/** Runs the built CLI, sampling its peak resident set size from /proc while it runs. */
function runFleetCli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const sample = setInterval(async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) peak = Math.max(peak, Number(hwm[1]));
    }, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sample);
      resolve({ code, stdout, stderr, wallMs: performance.now() - started, peakRssKb: peak });
    });
  });
}

describe.skipIf(!present)('fleet mode against kube-apiserver 1.20.2 without a kubelet', () => {
  let etcd: Etcd;
  let api: Apiserver;
  let dir: string;
  const url = () => `https://127.0.0.1:${api.port}`;

  const admin = (method: 'GET' | 'POST', path: string, body?: unknown) => apiRequest(url(), ADMIN_TOKEN, method, path, body);

  async function kubeconfigFor(token: string): Promise<string> {
    const file = join(dir, `kubeconfig-${token}.yaml`);
    await writeFile(
      file,
      `apiVersion: v1\nkind: Config\nclusters: [{name: real, cluster: {server: "${url()}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: "${token}"}}]\ncontexts: [{name: real, context: {cluster: real, user: u}}]\ncurrent-context: real\n`,
    );
    return file;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prisma-fleet-'));
    etcd = await startEtcd();
    api = await startApiserver(etcd, WEBHOOK_NOWHERE, {
      authorizationMode: 'RBAC',
      users: USERS,
      // No controller-manager creates service accounts: pods would be refused without this.
      flags: [
        '--disable-admission-plugins=ServiceAccount',
        '--max-requests-inflight=800',
        '--kubelet-preferred-address-types=InternalIP,Hostname',
      ],
    });
    // The namespace exists (the fleet user may not create namespaces), and the fleet user gets
    // exactly the RBAC that --print-manifests prints, bound to it instead of the service account.
    expect(
      (await admin('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prisma-audit' } })).status,
    ).toBe(201);
    const rbac = parseAllDocuments(fleetManifests([], { namespace: 'prisma-audit', image: 'x', deadlineSeconds: 1, doctorArgs: [] }))
      .map((d) => d.toJS())
      .filter((d) => /Role/.test(d.kind));
    for (const doc of rbac) {
      if (doc.subjects) doc.subjects = [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'fleet' }];
      const ns = doc.metadata.namespace;
      const plural =
        doc.kind === 'Role'
          ? 'roles'
          : doc.kind === 'RoleBinding'
            ? 'rolebindings'
            : doc.kind === 'ClusterRole'
              ? 'clusterroles'
              : 'clusterrolebindings';
      const path = `/apis/rbac.authorization.k8s.io/v1${ns ? `/namespaces/${ns}` : ''}/${plural}`;
      expect((await admin('POST', path, doc)).status).toBe(201);
    }
    for (let i = 0; i < NODES; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, j) => {
          const name = `cp-${String(i + j).padStart(3, '0')}`;
          const node = {
            apiVersion: 'v1',
            kind: 'Node',
            metadata: { name, labels: { 'node-role.kubernetes.io/master': '' } },
            spec: { taints: [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }] },
          };
          expect((await admin('POST', '/api/v1/nodes', node)).status).toBe(201);
        }),
      );
    }
  }, 170_000);

  afterAll(async () => {
    await api?.stop();
    await etcd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`reports ${NODES} nodes with no kubelet as "pod never started" within one deadline + 20 %, deletes every pod, stays under 200 MB`, async () => {
    const kubeconfig = await kubeconfigFor(USERS.fleet);
    const run = await runFleetCli([
      'fleet',
      '--kubeconfig',
      kubeconfig,
      '--deadline',
      String(DEADLINE_S),
      '--parallel',
      String(NODES),
      '--timeout',
      '15',
      '--output',
      'json',
      '--image',
      'prisma-audit:test',
    ]);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report.nodes).toHaveLength(NODES);
    const reasons = report.nodes.map((n: any) => `${n.outcome}: ${n.reason.split(':')[0]}`);
    expect(new Set(reasons)).toEqual(new Set(['unknown: pod never started']));
    expect(report.findings[0]).toMatchObject({ id: 'fleet-nodes-checked', status: 'unknown' });
    expect(run.code).toBe(0);
    // Each node is reported within its deadline + 20 %, measured from the moment its lane took it up
    // to its verdict; the whole process (start-up, 200 deletions) is logged beside it.
    const slowest = Math.max(...report.nodes.map((n: any) => n.durationMs));
    console.log(
      `fleet, ${NODES} nodes without kubelet: ${Math.round(run.wallMs)} ms wall, slowest node ${slowest} ms (deadline ${DEADLINE_S} s), peak RSS ${Math.round(run.peakRssKb / 1024)} MB`,
    );
    expect(slowest).toBeLessThan(DEADLINE_S * 1000 * 1.2);
    expect(run.wallMs).toBeLessThan(DEADLINE_S * 1000 * 2);
    expect(run.peakRssKb).toBeLessThan(200 * 1024);
    const left = await admin('GET', '/api/v1/namespaces/prisma-audit/pods');
    expect(left.body.items).toEqual([]);
  }, 120_000);

  it('says which permission is missing when RBAC forbids listing nodes', async () => {
    const run = await runFleetCli(['fleet', '--kubeconfig', await kubeconfigFor(USERS.nobody), '--output', 'text']);
    expect(run.stdout).toContain('RBAC forbids list nodes (403 Forbidden)');
    expect(run.stdout).toContain(
      'UNKNOWN fleet-nodes-checked      no node could be checked: real: RBAC forbids list nodes (403 Forbidden)',
    );
  }, 60_000);

  it('refuses a namespace that enforces PodSecurity restricted, with the remedy, and makes no pod', async () => {
    expect(
      (
        await admin('POST', '/api/v1/namespaces', {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'locked', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
        })
      ).status,
    ).toBe(201);
    const run = await runFleetCli([
      'fleet',
      '--kubeconfig',
      await kubeconfigFor(ADMIN_TOKEN),
      '--namespace',
      'locked',
      '--output',
      'text',
      '--deadline',
      '5',
    ]);
    expect(run.stdout).toContain('kubectl label namespace locked pod-security.kubernetes.io/enforce=privileged --overwrite');
    expect((await admin('GET', '/api/v1/namespaces/locked/pods')).body.items).toEqual([]);
  }, 60_000);

  it('reads every report through pods/log when the kubelets answer, and tells a refusing kubelet from a down one', async () => {
    const doctor = await runCli([
      'doctor',
      '--root',
      scenarioRoot('kubeadm-healthy'),
      '--offline',
      '--output',
      'json-framed',
      '--fleet-pod',
    ]);
    const direct = await runCli(['doctor', '--root', scenarioRoot('kubeadm-healthy'), '--offline', '--output', 'json', '--fleet-pod']);
    const names = Array.from({ length: NODES }, (_, i) => `cp-${String(i).padStart(3, '0')}`);
    const sim = await startSimKubelets(
      url(),
      ADMIN_TOKEN,
      names.map((name, i) => ({ name, behaviour: i === 0 ? 'refuse' : i === 1 ? 'down' : 'ok' })),
      doctor.stdout,
    );
    try {
      const run = await runFleetCli([
        'fleet',
        '--kubeconfig',
        await kubeconfigFor(USERS.fleet),
        '--deadline',
        String(DEADLINE_S),
        '--parallel',
        '50',
        '--timeout',
        '15',
        '--output',
        'json',
        '--offline',
      ]);
      const report = JSON.parse(run.stdout);
      console.log(`fleet, ${NODES} simulated kubelets: ${Math.round(run.wallMs)} ms wall, peak RSS ${Math.round(run.peakRssKb / 1024)} MB`);
      expect(report.nodes[0].reason).toContain("the API server relayed the kubelet's refusal (401 Unauthorized)");
      expect(report.nodes[1].reason).toContain('the kubelet on cp-001 is not answering (500');
      const checked = report.nodes.filter((n: any) => n.outcome === 'checked');
      expect(checked).toHaveLength(NODES - 2);
      const verdicts = (r: any) => r.checks.map((c: any) => `${c.id}=${c.status}`);
      const expected = verdicts(JSON.parse(direct.stdout));
      for (const n of checked) expect(verdicts(n.report)).toEqual(expected);
      expect(report.findings.find((f: any) => f.id === 'fleet-consistent').status).toBe('pass');
      expect((await admin('GET', '/api/v1/namespaces/prisma-audit/pods')).body.items).toEqual([]);
    } finally {
      await sim.stop();
    }
  }, 150_000);
});

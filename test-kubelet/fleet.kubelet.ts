// Fleet mode on real nodes (issue 18's real test): a real kube-apiserver 1.20.2 on the host, and two
// kubelets registered to it as nodes cp1 and cp2, each in its own mount namespace with its own
// containerd, node root and kube-apiserver static pod (the documented audit layout), and the project's
// image (npm run build:image) imported. `prisma-audit fleet` runs from the host against the API server,
// and must give each node the verdicts `doctor --root <node root>` gives on the same root; a probe pod with
// the fleet pod's exact mounts must find nothing under /host writable; and no fleet pod may outlive the run.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO, runCli } from '../test/helpers/cli.js';
import { apiRequest, startApiserver, startEtcd, TOKEN, type Apiserver, type Etcd } from '../test-apiserver/cluster.js';
import { freePort } from '../test-apiserver/processes.js';
import { CASES, type RenderedCase } from './cases.js';
import { prepared, readSysctls, startNode, type Node } from './node.js';
import { observe, renderCase, writeRoot } from './root.js';

const run = promisify(execFile);
const IMAGE_TAR = join(REPO, 'dist/prisma-audit-image.tar');
// Two by default; bench/fleet.mjs runs one and reads the fleet wall time from the timings file.
const NODES = Array.from({ length: Number(process.env.PRISMA_AUDIT_FLEET_NODES ?? 2) }, (_, i) => `cp${i + 1}`);
const TIMINGS = process.env.PRISMA_AUDIT_FLEET_TIMINGS;
const NAMESPACE = 'prisma-audit';
/** The documented layout: audit directory and log directory mounted; the apiserver runs healthy. */
const LAYOUT = CASES.find((c) => c.id === 'c01')!;
/** The host apiserver's own audit webhook is not under test: a valid kubeconfig nothing serves. */
const WEBHOOK_NOWHERE =
  'apiVersion: v1\nkind: Config\nclusters: [{name: w, cluster: {server: "https://127.0.0.1:1/w"}}]\ncontexts: [{name: w, context: {cluster: w}}]\ncurrent-context: w\n';
/** Generous: two cores shared with other work, two apiservers starting at once. */
const DEADLINE_S = 240;
const STATIC_POD_MS = 240_000;

const ready = prepared() && existsSync(IMAGE_TAR);
if (prepared() && !ready) console.warn(`skipping fleet on real nodes: ${IMAGE_TAR} is missing (npm run build:image)`);

interface Check {
  id: string;
  status: string;
  summary: string;
  evidence: { message: string }[];
}
interface FleetNode {
  node: string;
  outcome: string;
  reason: string | null;
  mounted: string[];
  notMounted: { hostPath: string; reason: string }[];
  report: { checks: Check[] } | null;
}

const statuses = (checks: Check[]) => Object.fromEntries(checks.map((c) => [c.id, c.status]));

describe.skipIf(!ready)(`fleet mode on ${NODES.length} real kubelet(s) registered to kube-apiserver 1.20.2`, () => {
  let dir = '';
  let etcd: Etcd | null = null;
  let api: Apiserver | null = null;
  const nodes: { node: Node; state: string; layout: RenderedCase }[] = [];
  /** Nodes still running, in start order: stopped once, newest first. */
  const running: Node[] = [];
  const stopNodes = async () => {
    while (running.length > 0) await running.pop()!.stop();
  };
  let kubeconfig = '';
  let imageRef = '';
  let probe = '';
  let fleet: { code: number | null; stdout: string; stderr: string; wallMs: number } | null = null;
  const sysctlsBefore = readSysctls();
  const url = () => `https://127.0.0.1:${api!.port}`;

  const admin = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => apiRequest(url(), TOKEN, method, path, body);

  async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | null>, context: () => string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const got = await check();
      if (got !== null) return got;
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(`no ${what} within ${timeoutMs / 1000} s:\n${context()}`);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prisma-audit-fleet-real-'));
    // The image's own tag, as `ctr images import` names it; fleet must ask the kubelet for exactly that.
    const manifest = JSON.parse((await run('tar', ['-xOf', IMAGE_TAR, 'manifest.json'])).stdout) as { RepoTags: string[] }[];
    imageRef = manifest[0]!.RepoTags[0]!;
    probe = join(dir, 'write-probe');
    await run('gcc', ['-static', '-O2', '-Wall', '-Werror', '-o', probe, join(REPO, 'test-kubelet/write-probe.c')]);

    etcd = await startEtcd();
    api = await startApiserver(etcd, WEBHOOK_NOWHERE, {
      // No controller-manager makes service accounts; the API server reaches kubelets at the InternalIP
      // the harness patches in (kubelet.md).
      flags: ['--disable-admission-plugins=ServiceAccount', '--kubelet-preferred-address-types=InternalIP,Hostname'],
    });
    kubeconfig = join(dir, 'admin.kubeconfig');
    await writeFile(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters: [{name: real, cluster: {server: "${url()}", insecure-skip-tls-verify: true}}]\nusers: [{name: admin, user: {token: "${TOKEN}"}}]\ncontexts: [{name: real, context: {cluster: real, user: admin}}]\ncurrent-context: real\n`,
    );
    // Made beforehand: a namespace fleet creates is deleted at its end, and without a controller-manager
    // it would stay Terminating, refusing the probe pod.
    expect((await admin('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } })).status).toBe(
      201,
    );
    // One after the other: each saves the sysctls before its kubelet rewrites them, and they stop in
    // reverse order, so the machine's own values come back last.
    for (const name of NODES) {
      const root = await mkdtemp(join(tmpdir(), `prisma-audit-node-${name}-`));
      const state = await mkdtemp(join(tmpdir(), `prisma-audit-kubelet-${name}-`));
      let layout: RenderedCase | null = null;
      const node = await startNode(
        root,
        state,
        async (etcdUrl) => {
          // Named as kubeadm names it, where the doctor looks without --manifest.
          layout = { ...renderCase(LAYOUT, await freePort(), etcdUrl, name), manifestName: 'kube-apiserver.yaml' };
          await writeRoot(root, [layout], name);
        },
        { name, register: { server: url(), token: TOKEN }, images: [IMAGE_TAR] },
      );
      nodes.push({ node, state, layout: layout! });
      running.push(node);
    }
    // Each node's static apiserver runs, and the API shows its mirror pod (fleet finds nodes and their
    // hostPaths through it).
    for (const { node, layout } of nodes) {
      await waitFor(
        `healthy static kube-apiserver and its mirror pod on ${node.name}`,
        STATIC_POD_MS,
        async () => {
          const seen = await observe(layout, node.root, node.kubeletOutput(), null);
          const mirror = await admin('GET', `/api/v1/namespaces/kube-system/pods/${layout.podName}`);
          return seen.outcome === 'healthy' && mirror.status === 200 ? true : null;
        },
        () => node.kubeletOutput().split('\n').slice(-30).join('\n'),
      );
    }
  }, 900_000);

  afterAll(async () => {
    await stopNodes();
    await api?.stop();
    await etcd?.stop();
    for (const { node } of nodes) await rm(node.root, { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 300_000);

  const fleetReport = () => JSON.parse(fleet!.stdout) as { nodes: FleetNode[]; findings: Check[] };

  it('fleet runs the doctor in a pod on each node and checks every one', async () => {
    const started = performance.now();
    const res = await runCli([
      'fleet',
      '--kubeconfig',
      kubeconfig,
      '--image',
      imageRef,
      '--deadline',
      String(DEADLINE_S),
      '--output',
      'json',
    ]);
    fleet = { ...res, wallMs: performance.now() - started };
    console.log(`fleet, ${NODES.length} real node(s): ${Math.round(fleet.wallMs)} ms wall`);
    if (TIMINGS) await writeFile(TIMINGS, JSON.stringify({ nodes: NODES.length, fleetMs: Math.round(fleet.wallMs) }));
    const report = fleetReport();
    const context = `stderr: ${res.stderr}\n${JSON.stringify(
      report.nodes.map((n) => ({ node: n.node, outcome: n.outcome, reason: n.reason })),
      null,
      1,
    )}`;
    expect(
      report.nodes.map((n) => [n.node, n.outcome]),
      context,
    ).toEqual(NODES.map((n) => [n, 'checked']));
    expect(report.findings.find((f) => f.id === 'fleet-nodes-checked')?.status, context).toBe('pass');
    // Only what the doctor reads, from the mirror pod's hostPaths and audit flags, each directory on its
    // own: never /etc/kubernetes or /var/log whole. (The manifest carries no kubeadm annotation, so the
    // kubeadm kubelet config is not asked for.)
    for (const n of report.nodes) {
      expect(n.mounted, n.node).toEqual([
        '/etc/kubernetes/c01/audit',
        '/etc/kubernetes/manifests',
        '/etc/kubernetes/pki',
        '/var/log/containers',
        '/var/log/kubernetes/c01/audit',
        '/var/log/pods',
      ]);
      expect(n.notMounted, n.node).toEqual([]);
    }
  }, 600_000);

  it("gives each node the verdicts of doctor --root on that node's root; only node-logs reads less, and says why", async () => {
    for (const { node } of nodes) {
      const fromFleet = fleetReport().nodes.find((n) => n.node === node.name)!;
      const direct = await runCli(['doctor', '--root', node.root, '--output', 'json']);
      const here = (JSON.parse(direct.stdout) as { checks: Check[] }).checks;
      const there = fromFleet.report!.checks;
      const shown = `${node.name}: fleet ${JSON.stringify(there, null, 1).slice(0, 8000)}`;
      // Not a vacuous agreement: the apiserver manifest was found and judged, the webhook probed.
      expect(statuses(here)['audit-files-mounted'], shown).toBe('pass');
      expect(statuses(here)['webhook-reachable'], shown).toBe('fail');
      // Every check, the network ones included: the pod is on the host network, so the webhook probe
      // leaves from where the direct run's does and meets the same closed port.
      expect(statuses(there), shown).toEqual(statuses(here));
      // What legitimately differs: node-logs reads fewer sources in the pod. The host's /var/log is
      // never mounted whole, so the kubelet's plain log file (this harness's klog file) is not read;
      // the journal and crictl are unreachable from the pod and it says so, where the direct run on a
      // copied root says they run only with --root /. The apiserver's container logs are read by both.
      const sources = (checks: Check[]) => checks.find((c) => c.id === 'node-logs')!.evidence.map((e) => e.message);
      const [inPod, onRoot] = [sources(there), sources(here)];
      expect(onRoot.filter((m) => m.startsWith('/var/log/kubelet.log: read'))).toHaveLength(1);
      expect(inPod.filter((m) => m.startsWith('/var/log/kubelet.log'))).toEqual([]);
      expect(inPod.filter((m) => /^(journalctl|crictl) .*not (read from|reached from) the fleet pod/.test(m))).toHaveLength(2);
      const podLogs = (messages: string[]) => messages.filter((m) => m.startsWith('/var/log/pods/')).map((m) => m.split(':')[0]);
      expect(podLogs(inPod)).toEqual(podLogs(onRoot));
      expect(podLogs(inPod)).toHaveLength(1);
    }
  }, 180_000);

  it('leaves nothing under /host writable: a probe pod with the fleet pod spec and mounts writes nowhere', async () => {
    const printed = await runCli(['fleet', '--print-manifests', '--kubeconfig', kubeconfig, '--image', imageRef]);
    const jobs = parseAllDocuments(printed.stdout)
      .map((d) => d.toJS())
      .filter((d) => d?.kind === 'Job');
    expect(jobs.map((j) => j.spec.template.spec.nodeName).sort(), printed.stderr).toEqual(NODES);
    for (const job of jobs) {
      const spec = job.spec.template.spec;
      const name = spec.nodeName as string;
      const ran = fleetReport().nodes.find((n) => n.node === name)!;
      // The Job's pod spec is the fleet pod's; the mounts fleet dropped because the node lacks them are
      // dropped here too, so the probe sees exactly what the doctor saw.
      const kept = new Set(spec.volumes.filter((v: any) => ran.mounted.includes(v.hostPath.path)).map((v: any) => v.name));
      spec.volumes = spec.volumes.filter((v: any) => kept.has(v.name));
      const container = spec.containers[0];
      container.volumeMounts = container.volumeMounts.filter((m: any) => kept.has(m.name));
      expect(spec.volumes.map((v: any) => v.hostPath.path).sort()).toEqual([...ran.mounted].sort());
      // The probe binary comes from the host, outside /host, read-only like everything else.
      spec.volumes.push({ name: 'write-probe', hostPath: { path: probe, type: 'File' } });
      container.volumeMounts.push({ name: 'write-probe', mountPath: '/probe/write-probe', readOnly: true });
      container.command = ['/probe/write-probe'];
      container.args = ['/host'];
      delete spec.serviceAccountName;
      const podName = `write-probe-${name}`;
      const created = await admin('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: podName, namespace: NAMESPACE },
        spec,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const phase = await waitFor(
        `end of pod ${podName}`,
        180_000,
        async () => {
          const p = (await admin('GET', `/api/v1/namespaces/${NAMESPACE}/pods/${podName}`)).body;
          return ['Succeeded', 'Failed'].includes(p.status?.phase) ? (p.status.phase as string) : null;
        },
        () =>
          nodes
            .find((n) => n.node.name === name)!
            .node.kubeletOutput()
            .split('\n')
            .slice(-20)
            .join('\n'),
      );
      const log = (await admin('GET', `/api/v1/namespaces/${NAMESPACE}/pods/${podName}/log`)).body as string;
      await admin('DELETE', `/api/v1/namespaces/${NAMESPACE}/pods/${podName}?gracePeriodSeconds=0`);
      expect(phase, log).toBe('Succeeded');
      const lines = log.split('\n').filter(Boolean);
      expect(
        lines.filter((l) => !/^denied (EROFS|EACCES) (dir|file) /.test(l)),
        `${name}: every write must be refused`,
      ).toEqual([]);
      // Every mount was walked: each mounted host path was tried (a directory's file, or the file itself).
      const tried = new Set(lines.map((l) => l.replace(/^denied \S+ (dir|file) /, '')));
      for (const hostPath of ran.mounted) expect(tried.has(`/host${hostPath}`), `${name}: ${hostPath} not probed`).toBe(true);
      console.log(
        `${name}: ${lines.length} write attempts under /host, all refused (${new Set(lines.map((l) => l.split(' ')[1])).size > 1 ? 'EROFS and EACCES' : lines[0]?.split(' ')[1]})`,
      );
    }
  }, 600_000);

  it('deletes the fleet pods: none left in the API, and none left running on the nodes', async () => {
    const left = await admin('GET', `/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dprisma-audit`);
    expect(left.body.items.map((p: any) => p.metadata.name)).toEqual([]);
    for (const { node } of nodes) {
      await waitFor(
        `removal of the fleet containers on ${node.name}`,
        120_000,
        async () =>
          (await node.ctr('containers', 'ls', `labels."io.kubernetes.pod.namespace"==${NAMESPACE}`)).trim().split('\n').length <= 1
            ? true
            : null,
        () => "containers of the prisma-audit namespace remain in the node's containerd",
      );
    }
  }, 300_000);

  it('stops everything it started and restores what the kubelets changed', async () => {
    await stopNodes();
    expect(readSysctls()).toEqual(sysctlsBefore);
    for (const { node, state } of nodes) {
      expect(existsSync(state)).toBe(false);
      expect(readFileSync('/proc/mounts', 'utf8')).not.toContain(node.root);
    }
  }, 300_000);
});

// Fleet wall time against a real kube-apiserver 1.20.2 (scripts/prepare-apiserver.sh): 200 Node
// objects served by simulated kubelets (test-apiserver/sim-kubelet.ts: pods finish at once, pods/log
// is proxied by the API server to them), next to one single-node doctor on the same fixture root, so
// the figure is the cost of orchestration: pod create, poll, log read, delete. Then one real node:
// a kubelet registered to a real apiserver (test-kubelet/fleet.kubelet.ts), when this machine can run it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The audit webhook is not measured: a valid kubeconfig whose endpoint nothing serves.
const WEBHOOK_NOWHERE =
  'apiVersion: v1\nkind: Config\nclusters: [{name: w, cluster: {server: "https://127.0.0.1:1/w"}}]\ncontexts: [{name: w, context: {cluster: w}}]\ncurrent-context: w\n';
const NODES = Number(process.env.BENCH_FLEET_NODES ?? 200);
const cli = path.join(repo, 'dist/cli.js');
const root = path.join(repo, 'fixtures/scenarios/kubeadm-healthy/root');

function timed(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, stdout: r.stdout, status: r.status, stderr: r.stderr };
}

const dir = await mkdtemp(path.join(tmpdir(), 'prisma-bench-fleet-'));
// Inside the repo, so the bundle's bare imports (undici, node-forge) resolve from node_modules.
const helpers = path.join(repo, 'node_modules/.cache/prisma-audit-bench/fleet-helpers.mjs');
await build({
  stdin: {
    contents: "export * from './test-apiserver/cluster.ts'; export * from './test-apiserver/sim-kubelet.ts';",
    resolveDir: repo,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: helpers,
  logLevel: 'error',
});
const { APISERVER_BIN, binariesPresent, startEtcd, startApiserver, startSimKubelets, TOKEN } = await import(pathToFileURL(helpers).href);

const single = [];
for (let i = 0; i < 5; i++) single.push(timed(['doctor', '--root', root, '--offline', '--output', 'json']).ms);
const singleMs = [...single].sort((a, b) => a - b)[2];
console.log(`single-node doctor --offline (fixture root): median ${singleMs.toFixed(0)} ms over 5 runs`);

if (!binariesPresent()) {
  console.log(`fleet: skipped, no kube-apiserver at ${APISERVER_BIN} (bash scripts/prepare-apiserver.sh)`);
} else {
  const etcd = await startEtcd();
  const api = await startApiserver(etcd, WEBHOOK_NOWHERE, {
    flags: [
      '--disable-admission-plugins=ServiceAccount',
      '--max-requests-inflight=800',
      '--kubelet-preferred-address-types=InternalIP,Hostname',
    ],
  });
  const url = `https://127.0.0.1:${api.port}`;
  const { Agent, request } = await import('undici');
  const insecure = new Agent({ connect: { rejectUnauthorized: false } });
  const names = Array.from({ length: NODES }, (_, i) => `cp-${String(i).padStart(3, '0')}`);
  for (let i = 0; i < names.length; i += 20) {
    await Promise.all(
      names.slice(i, i + 20).map(async (name) => {
        const res = await request(`${url}/api/v1/nodes`, {
          method: 'POST',
          dispatcher: insecure,
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            apiVersion: 'v1',
            kind: 'Node',
            metadata: { name, labels: { 'node-role.kubernetes.io/control-plane': '' } },
          }),
        });
        await res.body.dump();
      }),
    );
  }
  const framed = timed(['doctor', '--root', root, '--offline', '--output', 'json-framed', '--fleet-pod']).stdout;
  const sim = await startSimKubelets(
    url,
    TOKEN,
    names.map((name) => ({ name, behaviour: 'ok' })),
    framed,
  );
  const kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: b, cluster: {server: "${url}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: "${TOKEN}"}}]\ncontexts: [{name: b, context: {cluster: b, user: u}}]\ncurrent-context: b\n`,
  );
  for (const parallel of [10, 50]) {
    const run = timed([
      'fleet',
      '--kubeconfig',
      kubeconfig,
      '--parallel',
      String(parallel),
      '--deadline',
      '60',
      '--timeout',
      '15',
      '--offline',
      '--output',
      'json',
    ]);
    const report = JSON.parse(run.stdout || '{"summary":{}}');
    console.log(
      `fleet, ${NODES} simulated nodes, --parallel ${parallel}: ${run.ms.toFixed(0)} ms wall, ${report.summary.checked}/${report.summary.nodes} checked (${(run.ms / NODES).toFixed(0)} ms per node; ${(run.ms / singleMs).toFixed(1)}x one single-node doctor)`,
    );
  }
  await sim.stop();
  await api.stop();
  await etcd.stop();
}
// One real node: the real-kubelet suite's fleet file with one kubelet registered (its set-up is not
// timed; the figure is the fleet command alone: pod create, image already on the node, doctor, log, delete).
const cache = process.env.PRISMA_AUDIT_CACHE ?? '/var/cache/prisma-audit';
const image = path.join(repo, 'dist/prisma-audit-image.tar');
if (process.getuid?.() !== 0 || !existsSync(path.join(cache, 'bin/kubelet')) || !existsSync(image)) {
  console.log('fleet, 1 real node: skipped, needs root, scripts/prepare-kubelet.sh and npm run build:image');
} else {
  const timings = path.join(dir, 'fleet-real.json');
  const suite = spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '-c', 'vitest.kubelet.config.ts', 'test-kubelet/fleet.kubelet.ts'],
    { cwd: repo, encoding: 'utf8', env: { ...process.env, PRISMA_AUDIT_FLEET_NODES: '1', PRISMA_AUDIT_FLEET_TIMINGS: timings } },
  );
  if (suite.status !== 0 || !existsSync(timings)) {
    console.log(`fleet, 1 real node: the suite failed (exit ${suite.status}):\n${(suite.stdout ?? '').slice(-3000)}`);
  } else {
    const { fleetMs } = JSON.parse(readFileSync(timings, 'utf8'));
    console.log(
      `fleet, 1 real node (kubelet 1.20.2 + containerd, image imported): ${fleetMs} ms wall (${(fleetMs / singleMs).toFixed(1)}x one single-node doctor)`,
    );
  }
}
await rm(dir, { recursive: true, force: true });
process.exit(0);

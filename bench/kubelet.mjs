// The real-kubelet harness (issue 13): what it costs, and what the doctor costs on the largest root it makes.
//   prepare cached   scripts/prepare-kubelet.sh with everything in the cache
//   prepare cold     the kubelet part from scratch in a throw-away cache that shares only the source tree and
//                    the apiserver binary (BENCH_KUBELET_COLD=1: rebuilds the kubelet, a minute or more)
//   up / one case    one healthy case: namespace + containerd + images + etcd + kubelet healthy, then the
//                    static pod's /healthz; stop
//   doctor           `doctor --offline --json` on the node root all cases leave behind (17 manifests, pod
//                    logs, kubelet log), against the same doctor on fixtures/scenarios/kubeadm-healthy
//                    (today's start-up benchmark); target: within 1.2x.
// Skipped (exit 0, says why) when the harness is not prepared or not root: it needs what the suite needs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.PRISMA_AUDIT_CACHE ?? '/var/cache/prisma-audit';
const runs = Number(process.env.BENCH_RUNS ?? 15);

if (process.getuid?.() !== 0 || !existsSync(path.join(cache, 'bin/kubelet'))) {
  console.log('kubelet bench skipped: needs root and scripts/prepare-kubelet.sh (see README, "Real-component suites")');
  process.exit(0);
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
function timed(cmd, args, env = {}) {
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: repo, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${(r.stdout ?? '').slice(-3000)}${(r.stderr ?? '').slice(-3000)}`);
  return Date.now() - t;
}

console.log(`prepare cached: ${seconds(timed('bash', ['scripts/prepare-kubelet.sh']))}`);
if (process.env.BENCH_KUBELET_COLD === '1') {
  const cold = mkdtempSync(path.join(tmpdir(), 'prisma-audit-cache-'));
  mkdirSync(path.join(cold, 'bin'));
  symlinkSync(path.join(cache, 'bin/kube-apiserver'), path.join(cold, 'bin/kube-apiserver'));
  symlinkSync(path.join(cache, 'gopath'), path.join(cold, 'gopath'));
  symlinkSync(path.join(cache, 'src'), path.join(cold, 'src'));
  console.log(
    `prepare cold (kubelet build with the apiserver's Go cache, images): ${seconds(timed('bash', ['scripts/prepare-kubelet.sh'], { PRISMA_AUDIT_CACHE: cold }))}`,
  );
  rmSync(cold, { recursive: true, force: true });
} else {
  console.log('prepare cold: set BENCH_KUBELET_COLD=1 to rebuild the kubelet in a throw-away cache');
}

function suite(env) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'prisma-audit-bench-')), 'timings.json');
  const ms = timed(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '-c', 'vitest.kubelet.config.ts', 'test-kubelet/static-pods.kubelet.ts'],
    {
      ...env,
      PRISMA_AUDIT_KUBELET_TIMINGS: file,
    },
  );
  return { ms, ...JSON.parse(readFileSync(file, 'utf8')) };
}

const one = suite({ PRISMA_AUDIT_KUBELET_CASES: 'c01' });
console.log(
  `one case (c01, healthy): up ${seconds(one.upMs)}, apiserver healthy after ${seconds(one.settleMs)}, stop ${seconds(one.stopMs)}; whole run ${seconds(one.ms)}`,
);
const all = suite({ PRISMA_AUDIT_KUBELET_KEEP_ROOT: '1' });
console.log(
  `all ${all.cases} cases: up ${seconds(all.upMs)}, settled ${seconds(all.settleMs)}, stop ${seconds(all.stopMs)}; whole suite ${seconds(all.ms)}`,
);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const doctor = (root, extra = []) => [path.join(repo, 'dist/cli.js'), 'doctor', '--offline', '--output', 'json', '--root', root, ...extra];
function time(args) {
  const t = process.hrtime.bigint();
  spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return Number(process.hrtime.bigint() - t) / 1e6;
}
const big = doctor(all.root, ['--manifest', '/etc/kubernetes/manifests/apiserver-c13.yaml']);
const base = doctor(path.join(repo, 'fixtures/scenarios/kubeadm-healthy/root'));
time(big);
time(base);
const onBig = [];
const onBase = [];
for (let i = 0; i < runs; i++) {
  onBase.push(time(base));
  onBig.push(time(big));
}
const ratio = median(onBig) / median(onBase);
console.log(
  `doctor on the kubelet suite's root: median ${median(onBig).toFixed(0)} ms; on kubeadm-healthy: ${median(onBase).toFixed(0)} ms (${runs} runs, interleaved)`,
);
console.log(`ratio ${ratio.toFixed(2)}x   target: within 1.2x ${ratio <= 1.2 ? 'met' : 'MISSED'}`);
rmSync(all.root, { recursive: true, force: true });

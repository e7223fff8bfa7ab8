// Whole-process `doctor --offline --output json` on a healthy fixture root, against bare `node -e 0`
// measured in the same run (interleaved, so machine load affects both alike).
// Targets (issue 2): median under 250 ms, and under 5x bare node.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 25);
const doctor = [
  path.join(repo, 'dist/cli.js'),
  'doctor',
  '--offline',
  '--output',
  'json',
  '--root',
  path.join(repo, 'fixtures/scenarios/kubeadm-healthy/root'),
];

function time(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && args[0] !== '-e') throw new Error(`doctor exited ${r.status}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bare = [];
const full = [];
time(doctor); // warm the file cache
for (let i = 0; i < runs; i++) {
  bare.push(time(['-e', '0']));
  full.push(time(doctor));
}
const m = median(full);
const b = median(bare);
console.log(
  `doctor --offline --output json: median ${m.toFixed(0)} ms over ${runs} runs (min ${Math.min(...full).toFixed(0)}, max ${Math.max(...full).toFixed(0)})`,
);
console.log(`node -e 0:                      median ${b.toFixed(0)} ms`);
console.log(
  `ratio to bare node: ${(m / b).toFixed(2)}x   targets: < 250 ms ${m < 250 ? 'met' : 'MISSED'}, < 5x ${m / b < 5 ? 'met' : 'MISSED'}`,
);

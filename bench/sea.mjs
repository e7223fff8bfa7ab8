// The single binary (dist/prisma-audit-linux-x64, built here by scripts/build-sea.mjs): its size, and
// its start-up next to `node dist/cli.js` and bare `node -e 0`, interleaved so that machine load
// affects all alike. Goal (issue 11): `--version` within 1.5x of bare node.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 15);
const build = spawnSync(process.execPath, [path.join(repo, 'scripts/build-sea.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const bin = path.join(repo, `dist/prisma-audit-${process.platform}-${process.arch}`);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-bench-sea-'));

function time(file, args, ok = [0]) {
  const t = process.hrtime.bigint();
  // The demo is written out once under TMPDIR; the warm-up run does that.
  const r = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, TMPDIR: tmp } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (!ok.includes(r.status)) throw new Error(`${file} ${args.join(' ')} exited ${r.status}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const demo = ['doctor', '--demo', '--offline', '--json'];
const cases = {
  'node -e 0': () => time(process.execPath, ['-e', '0']),
  'node dist/cli.js --version': () => time(process.execPath, [path.join(repo, 'dist/cli.js'), '--version']),
  'single binary --version': () => time(bin, ['--version']),
  'node dist/cli.js doctor --demo --offline --json': () => time(process.execPath, [path.join(repo, 'dist/cli.js'), ...demo], [3]),
  'single binary doctor --demo --offline --json': () => time(bin, demo, [3]),
};
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const f of Object.values(cases)) f();
for (let i = 0; i < runs; i++) for (const [k, f] of Object.entries(cases)) times[k].push(f());
rmSync(tmp, { recursive: true, force: true });

const m = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)]));
for (const k of Object.keys(cases)) console.log(`${k.padEnd(48)} median ${m[k].toFixed(0).padStart(5)} ms over ${runs} runs`);
const ratio = m['single binary --version'] / m['node -e 0'];
console.log(
  `single binary size: ${(statSync(bin).size / 1e6).toFixed(1)} MB (the node binary: ${(statSync(process.execPath).size / 1e6).toFixed(1)} MB)`,
);
console.log(`single binary --version / node -e 0: ${ratio.toFixed(2)}x   goal < 1.5x: ${ratio < 1.5 ? 'met' : 'MISSED'}`);

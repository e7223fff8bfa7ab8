// Benchmark: `prisma-audit fix` (the real CLI, plan mode) on copies of fixture roots.
//  - files only (--offline) on kubeadm-broken: the cost of planning and verifying on a copy;
//  - a live console whose CA data is stale (the demo node and its loopback console): one probe,
//    the anchor taken from the chain, and the new kubeconfig tried against the endpoint;
//  - a console that accepts TCP and never answers TLS (--timeout 2): one timeout for the whole run.
// Prints medians and checks the dead-host run against "one timeout" (< files-only + timeout + 1 s).
// Usage: node bench/fix.mjs   (builds dist/ first)
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 7;
const TIMEOUT_S = 2;
execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'inherit' });
const { startDemoConsole } = await import('../dist/facts/demo-console.js');

const work = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-bench-fix-'));
function copy(fixture) {
  const dir = mkdtempSync(path.join(work, 'root-'));
  cpSync(path.join(REPO, fixture), dir, { recursive: true });
  return dir;
}

const run = promisify(execFile);
let plans = 0;

/** Median wall time of `fix` (plan only, output to a throwaway folder), and the last JSON. Spawned
 * asynchronously: the loopback consoles live in this process and must keep answering. */
async function time(root, extra = []) {
  const times = [];
  let last = null;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    // Exit 3 (something left to fix by hand) is a normal outcome here.
    const r = await run(process.execPath, [
      path.join(REPO, 'dist/cli.js'),
      'fix',
      '--root',
      root,
      '--json',
      '--out',
      path.join(work, `plan-${plans++}`),
      ...extra,
    ]).catch((err) => err);
    times.push(performance.now() - started);
    if (!r.stdout) throw new Error(`fix printed nothing: ${r.stderr ?? r.message}`);
    last = JSON.parse(r.stdout);
  }
  times.sort((a, b) => a - b);
  return { ms: Math.round(times[Math.floor(RUNS / 2)]), last };
}

const states = (json) => json.fixes.map((f) => `${f.id}=${f.state}`).join(', ');

const offline = await time(copy('fixtures/scenarios/kubeadm-broken/root'), ['--offline']);
console.log(`files only (kubeadm-broken, --offline): median ${offline.ms} ms over ${RUNS} runs (${states(offline.last)})`);

const console_ = await startDemoConsole();
const live = await time(copy('fixtures/demo/root'));
await console_.close();
console.log(`live chain (demo node, loopback console): median ${live.ms} ms (${states(live.last)})`);

const sockets = new Set();
const silent = createServer((s) => sockets.add(s));
await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
const deadRoot = copy('fixtures/scenarios/kubeadm-healthy/root');
const webhook = path.join(deadRoot, 'etc/kubernetes/audit/audit-webhook.yaml');
writeFileSync(webhook, readFileSync(webhook, 'utf8').replace(/127\.0\.0\.1:18084/, `127.0.0.1:${silent.address().port}`));
const dead = await time(deadRoot, ['--timeout', String(TIMEOUT_S)]);
for (const s of sockets) s.destroy();
silent.close();
rmSync(work, { recursive: true, force: true });

const target = offline.ms + TIMEOUT_S * 1000 + 1000;
const verdict = dead.ms < target ? 'OK' : 'TOO SLOW';
console.log(
  `dead console (accepts TCP, never answers TLS), --timeout ${TIMEOUT_S}: median ${dead.ms} ms (target < ${target} ms: one timeout): ${verdict}`,
);
process.exitCode = verdict === 'OK' ? 0 : 1;

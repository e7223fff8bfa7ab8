// Benchmark: building the Kubernetes 1.36 audit oracle (scripts/prepare-modern-audit.sh). Times a
// cached run now (targets: < 10 s) and reports the last cold build the script recorded in
// $PRISMA_AUDIT_CACHE/modern-audit-timing.json (target: < 5 minutes; a cold run downloads ~343
// packages, so it is not repeated here). Skips, saying so, when the oracle was never built.
// Usage: node bench/modern-audit.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.PRISMA_AUDIT_CACHE ?? '/var/cache/prisma-audit';
const timing = path.join(cache, 'modern-audit-timing.json');
if (!existsSync(path.join(cache, 'bin/audit-oracle'))) {
  console.log(`modern-audit: SKIPPED, ${cache}/bin/audit-oracle was never built (bash scripts/prepare-modern-audit.sh)`);
  process.exit(0);
}
const started = performance.now();
const run = spawnSync('bash', [path.join(repo, 'scripts/prepare-modern-audit.sh')], { encoding: 'utf8' });
const seconds = (performance.now() - started) / 1000;
if (run.status !== 0) {
  console.error(run.stdout, run.stderr);
  process.exit(1);
}
const recorded = existsSync(timing) ? JSON.parse(readFileSync(timing, 'utf8')) : {};
const show = (t) => (t ? `${t.seconds.toFixed(1)} s (${t.at})` : 'not recorded');
console.log(`modern-audit cached run: ${seconds.toFixed(2)} s (target < 10 s) ${seconds < 10 ? 'OK' : 'OVER'}`);
console.log(`modern-audit last cold build (chroot + packages + build): ${show(recorded.cold)} (target < 300 s)`);
console.log(`modern-audit last rebuild of the probe alone: ${show(recorded.build)}`);
if (seconds >= 10) process.exit(1);

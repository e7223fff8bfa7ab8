// Interrupt latency (issue 15: exit within 200 ms): a doctor run in a real 80x24 pty waits on a
// webhook at 127.0.0.1 that accepts and never answers the TLS handshake (--timeout 30); Ctrl-C is
// pressed on the first frame (before ink is up: a SIGINT) and once ink animates (a key), and q once
// ink animates. Reported: ms from the key to the process's end. BENCH_CLI times another build
// (e.g. an older commit's dist/cli.js) against the same node and server.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './pty.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = process.env.BENCH_CLI ?? path.join(repo, 'dist/cli.js');
const runs = Number(process.env.BENCH_RUNS ?? 7);
const TARGET_MS = 200;

const held = new Set();
const server = createServer((s) => held.add(s.on('error', () => {})));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const root = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-bench-'));
cpSync(path.join(repo, 'fixtures/scenarios/kubeadm-healthy/root'), root, { recursive: true });
const kubeconfig = path.join(root, 'etc/kubernetes/audit/audit-webhook.yaml');
writeFileSync(kubeconfig, readFileSync(kubeconfig, 'utf8').replace('127.0.0.1:18084', `127.0.0.1:${server.address().port}`));

const doctor = [cli, 'doctor', '--root', root, '--timeout', '30'];
const cases = {
  'Ctrl-C on the first frame': { when: /Ctrl-C abort/, key: '\u0003' },
  'Ctrl-C once ink runs': { when: /[⠙⠹⠸⠼⠴⠦⠧⠇⠏] \d+ of \d+ checks done/, key: '\u0003' },
  'q once ink runs': { when: /[⠙⠹⠸⠼⠴⠦⠧⠇⠏] \d+ of \d+ checks done/, key: 'q' },
};
const took = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let i = 0; i < runs; i++)
  for (const [name, press] of Object.entries(cases)) {
    took[name].push((await measure(doctor, {}, { press })).exit);
    held.forEach((s) => s.destroy());
  }
server.close();
rmSync(root, { recursive: true, force: true });

let ok = true;
for (const [name, ms] of Object.entries(took)) {
  const m = median(ms);
  ok &&= m < TARGET_MS;
  console.log(
    `${name}: key to exit median ${m.toFixed(0)} ms over ${runs} runs (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)})`,
  );
}
console.log(
  `load average: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${os.cpus().length} cores`,
);
console.log(ok ? `OK: every median under ${TARGET_MS} ms` : `SLOW: a median is over ${TARGET_MS} ms`);
process.exit(ok ? 0 : 1);

// Time to the doctor UI's first frame on the demo node, in a real 80x24 pty (util-linux script):
// from spawning node to the frame's header line arriving on the terminal, against the time a bare
// `node -e` takes to write one line through the same pty (interleaved, so machine load affects both).
// Both ways the README runs the demo: `doctor --demo --offline`, and `doctor --demo` (`npm run demo`),
// which also starts the demo console on loopback (its keys are made while the frame is painted).
// Target (issue 15): first frame under 150 ms after start. Also reported: when ink has taken over.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './pty.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 9);
const header = /prisma-audit \S+ doctor/;
const inkUp = /[⠙⠹⠸⠼⠴⠦⠧⠇⠏] \d+ of \d+ checks done|\d+ checks: \d+ pass/;

let ok = true;
for (const extra of [['--offline'], []]) {
  const doctor = [path.join(repo, 'dist/cli.js'), 'doctor', '--demo', ...extra];
  const name = ['doctor', '--demo', ...extra].join(' ');
  const bare = [];
  const first = [];
  const ink = [];
  await measure(doctor, { first: header }); // warm the file cache
  for (let i = 0; i < runs; i++) {
    bare.push((await measure(['-e', 'console.log("ready")'], { first: /ready/ })).first);
    const at = await measure(doctor, { first: header, ink: inkUp });
    first.push(at.first);
    ink.push(at.ink);
  }
  const m = median(first);
  const share = m - median(bare);
  console.log(
    `${name}, first frame: median ${m.toFixed(0)} ms after spawn over ${runs} runs (min ${Math.min(...first).toFixed(0)}, max ${Math.max(...first).toFixed(0)})`,
  );
  console.log(
    `  bare node printing one line through the same pty: median ${median(bare).toFixed(0)} ms; so the CLI's own share is ${share.toFixed(0)} ms`,
  );
  console.log(`  ink UI up (animating or done): median ${median(ink).toFixed(0)} ms`);
  ok &&= share < 150;
}
console.log(
  ok ? 'OK: the first frame arrives within 150 ms of node being up' : 'SLOW: the first frame took more than 150 ms beyond node start-up',
);
process.exit(ok ? 0 : 1);

// Time to the doctor UI's first frame on the demo node, in a real 80x24 pty (util-linux script):
// from spawning node to the frame's header line arriving on the terminal, against the time a bare
// `node -e` takes to write one line through the same pty (interleaved, so machine load affects both).
// Target (issue 15): first frame under 150 ms after start. Also reported: when ink has taken over.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 9);
const q = (s) => `'${s}'`;

/** Spawns `node args` in an 80x24 pty; resolves the ms until each marker first appears, then kills it. */
function measure(args, markers) {
  return new Promise((resolve) => {
    const cmd = `stty cols 80 rows 24; exec ${q(process.execPath)} ${args.map(q).join(' ')}`;
    const t0 = performance.now();
    const child = spawn('script', ['-qefc', cmd, '/dev/null'], {
      env: { ...process.env, TERM: 'xterm-256color', CI: undefined, CONTINUOUS_INTEGRATION: undefined },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    child.stdin.on('error', () => {});
    let out = '';
    const at = {};
    child.stdout.on('data', (d) => {
      out += d;
      for (const [name, re] of Object.entries(markers)) if (at[name] === undefined && re.test(out)) at[name] = performance.now() - t0;
      if (Object.keys(at).length === Object.keys(markers).length) child.kill('SIGKILL');
    });
    child.on('close', () => resolve(at));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const doctor = [path.join(repo, 'dist/cli.js'), 'doctor', '--demo', '--offline'];
const bare = [];
const first = [];
const ink = [];
await measure(doctor, { first: /prisma-audit \S+ doctor/ }); // warm the file cache
for (let i = 0; i < runs; i++) {
  bare.push((await measure(['-e', 'console.log("ready")'], { first: /ready/ })).first);
  const at = await measure(doctor, { first: /prisma-audit \S+ doctor/, ink: /[⠙⠹⠸⠼⠴⠦⠧⠇⠏] \d+ of \d+ checks done|\d+ checks: \d+ pass/ });
  first.push(at.first);
  ink.push(at.ink);
}
const m = median(first);
console.log(
  `doctor --demo, first frame: median ${m.toFixed(0)} ms after spawn over ${runs} runs (min ${Math.min(...first).toFixed(0)}, max ${Math.max(...first).toFixed(0)})`,
);
console.log(
  `bare node printing one line through the same pty: median ${median(bare).toFixed(0)} ms; so the CLI's own share is ${(m - median(bare)).toFixed(0)} ms`,
);
console.log(`ink UI up (animating or done): median ${median(ink).toFixed(0)} ms`);
const ok = m - median(bare) < 150;
console.log(
  ok ? 'OK: the first frame arrives within 150 ms of node being up' : 'SLOW: the first frame took more than 150 ms beyond node start-up',
);
process.exit(ok ? 0 : 1);

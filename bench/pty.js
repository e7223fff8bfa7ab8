// Shared by the terminal benchmarks (not one itself: bench/run.mjs runs *.mjs): the CLI in a real
// 80x24 pty (util-linux script), timed from spawn.
import { spawn } from 'node:child_process';

const q = (s) => `'${s}'`;

/** Spawns `node args` in an 80x24 pty; resolves the ms after spawn at which each marker first
 * appeared. With `press`, writes press.key once press.when has appeared and adds `exit`: the ms from
 * that key to the process's end. Without it, kills the process once every marker was seen. */
export function measure(args, markers, { press, env = {} } = {}) {
  return new Promise((resolve) => {
    const cmd = `stty cols 80 rows 24; exec ${q(process.execPath)} ${args.map(q).join(' ')}`;
    const t0 = performance.now();
    const child = spawn('script', ['-qefc', cmd, '/dev/null'], {
      env: { ...process.env, TERM: 'xterm-256color', CI: undefined, CONTINUOUS_INTEGRATION: undefined, ...env },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    child.stdin.on('error', () => {});
    let out = '';
    const at = {};
    let pressed = null;
    child.stdout.on('data', (d) => {
      out += d;
      for (const [name, re] of Object.entries(markers)) if (at[name] === undefined && re.test(out)) at[name] = performance.now() - t0;
      if (press && pressed === null && press.when.test(out)) {
        pressed = performance.now();
        child.stdin.write(press.key);
      }
      if (!press && Object.keys(at).length === Object.keys(markers).length) child.kill('SIGKILL');
    });
    child.on('close', () => resolve(pressed === null ? at : { ...at, exit: performance.now() - pressed }));
  });
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

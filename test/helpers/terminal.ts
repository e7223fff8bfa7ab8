// The built CLI in a real pseudo-terminal: util-linux `script` (in every Debian base system) gives
// it a pty of the size asked, @xterm/headless interprets what it draws into the screen a user sees.
// (node-pty would do the pty too, but ships no Linux binaries: it compiles at install time.)
import { spawn } from 'node:child_process';
import xterm from '@xterm/headless';
import { CLI } from './cli.js';

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export interface TerminalRun {
  /** The visible screen, one string per row, trailing spaces trimmed. */
  screen(): string[];
  /** Everything the program wrote, escape codes included. */
  raw(): string;
  press(keys: string): void;
  /** Resolves once `test` holds for the screen; rejects after `ms`. */
  waitFor(test: (screen: string) => boolean, ms?: number): Promise<void>;
  exited: Promise<{ code: number | null; at: number }>;
}

export const KEY = { down: '\u001b[B', up: '\u001b[A', ctrlC: '\u0003', esc: '\u001b' };

/** `size` 0x0 is a pty nobody sized (as `script` gives by default); the screen is then read as 80x24.
 * `cli`: another build of the CLI (the unpacked npm tarball). */
export function runInTerminal(
  args: string[],
  size: { columns: number; rows: number },
  env: NodeJS.ProcessEnv = {},
  cli = CLI,
): TerminalRun {
  const command = `stty cols ${size.columns} rows ${size.rows}; exec ${quote(process.execPath)} ${quote(cli)} ${args.map(quote).join(' ')}`;
  const child = spawn('script', ['-qefc', command, '/dev/null'], {
    env: { ...process.env, TERM: 'xterm-256color', CI: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const view = { columns: size.columns || 80, rows: size.rows || 24 };
  const term = new xterm.Terminal({ cols: view.columns, rows: view.rows, allowProposedApi: true, scrollback: 1000 });
  let raw = '';
  let pending = Promise.resolve();
  child.stdout.on('data', (d: Buffer) => {
    raw += d.toString('utf8');
    pending = pending.then(() => new Promise((resolve) => term.write(d, resolve)));
  });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on('close', (code) => resolve({ code, at: performance.now() })),
  );
  const screen = () => {
    const b = term.buffer.active;
    return Array.from({ length: view.rows }, (_, i) => b.getLine(b.viewportY + i)?.translateToString(true) ?? '');
  };
  return {
    screen,
    raw: () => raw,
    press: (keys) => void child.stdin.write(keys),
    async waitFor(test, ms = 60_000) {
      const until = Date.now() + ms;
      for (;;) {
        await pending;
        if (test(screen().join('\n'))) return;
        if (Date.now() > until) throw new Error(`timed out; the screen was:\n${screen().join('\n')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    exited,
  };
}

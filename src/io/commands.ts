// Runs node tools (journalctl, crictl) the safe way: an argument array and no shell, a deadline, and
// a cap on the bytes read. Output is handed over as streams so a large log is scanned, not buffered.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface CommandLimits {
  timeoutMs: number;
  /** Bytes read from stdout and stderr together; the command is killed beyond it. */
  maxBytes: number;
  /** Kills the command (and what it started) when the run is cancelled. */
  signal?: AbortSignal;
}

export type CommandStatus = 'ok' | 'missing' | 'denied' | 'timeout' | 'failed';

export interface CommandRun<T> {
  status: CommandStatus;
  /** What the consumer returned; null when the command could not start. */
  value: T | null;
  exitCode: number | null;
  truncated: boolean;
  /** Why it did not run, in words (spawn error or deadline). */
  message: string | null;
}

export interface CommandOutput {
  stdout: AsyncIterable<Buffer>;
  stderr: AsyncIterable<Buffer>;
}

/** Runs `file args` and lets `consume` read its output while it runs. */
export async function streamCommand<T>(
  file: string,
  args: string[],
  limits: CommandLimits,
  consume: (output: CommandOutput) => Promise<T>,
): Promise<CommandRun<T>> {
  // Its own process group, so the deadline also ends anything it started.
  const child = spawn(file, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
    detached: true,
    env: { ...process.env, LC_ALL: 'C' },
  });
  const ended = new Promise<{ code: number | null; error: NodeJS.ErrnoException | null }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code, error: null }));
  });
  let timedOut = false;
  let truncated = false;
  let budget = limits.maxBytes;
  const stop = (): void => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    child.stdout.destroy();
    child.stderr.destroy();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, limits.timeoutMs);
  // A cancelled run ends the command like the deadline does (the output simply ends there).
  const cancel = () => {
    timedOut = true;
    stop();
  };
  limits.signal?.addEventListener('abort', cancel, { once: true });
  if (limits.signal?.aborted) cancel();
  async function* capped(stream: Readable): AsyncIterable<Buffer> {
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (chunk.length > budget) {
          if (budget > 0) yield chunk.subarray(0, budget);
          budget = 0;
          truncated = true;
          stop();
          return;
        }
        budget -= chunk.length;
        yield chunk;
      }
    } catch (err) {
      if (!timedOut && !truncated) throw err; // destroyed by us: the output simply ends there
    }
  }
  try {
    const value = await consume({ stdout: capped(child.stdout), stderr: capped(child.stderr) });
    const { code, error } = await ended;
    if (error) return { status: spawnStatus(error), value: null, exitCode: null, truncated, message: `${file}: ${error.message}` };
    if (timedOut)
      return { status: 'timeout', value, exitCode: code, truncated, message: `${file} did not finish within ${limits.timeoutMs} ms` };
    return { status: 'ok', value, exitCode: code, truncated, message: null };
  } finally {
    clearTimeout(timer);
    limits.signal?.removeEventListener('abort', cancel);
    stop();
  }
}

export interface CapturedOutput {
  stdout: string;
  stderr: string;
}

/** Runs a command whose output is small (crictl ps, crictl inspect) and returns it as text. */
export function runCommand(file: string, args: string[], limits: CommandLimits): Promise<CommandRun<CapturedOutput>> {
  return streamCommand(file, args, limits, async ({ stdout, stderr }) => {
    const [out, err] = await Promise.all([collect(stdout), collect(stderr)]);
    return { stdout: out, stderr: err };
  });
}

async function collect(stream: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function spawnStatus(error: NodeJS.ErrnoException): CommandStatus {
  if (error.code === 'ENOENT') return 'missing';
  if (error.code === 'EACCES' || error.code === 'EPERM') return 'denied';
  return 'failed';
}

// Child processes for the real-apiserver suite: spawn, keep their stderr, wait for a line or a
// health probe, and stop them for sure at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface Running {
  name: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export function start(name: string, bin: string, args: string[]): Running {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return {
    name,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Polls `ready` until it returns true; fails with the process output when the process exits first
 * or the time runs out. */
export async function waitUntil(proc: Running, what: string, ready: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null)
      throw new Error(`${proc.name} exited (${proc.child.exitCode}) before ${what}:\n${proc.output().slice(-3000)}`);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${proc.name}: no ${what} within ${timeoutMs} ms:\n${proc.output().slice(-3000)}`);
}

/** Ports handed out by this process: never twice, even once closed again. */
const handed = new Set<number>();

/** A port free now for a server a test starts later. Taken below the kernel's ephemeral range
 * (32768-60999 by default): a port from that range can meanwhile become the source port of some
 * client connection (17 apiservers talking to etcd), and the server then dies with "address already
 * in use" (seen in the kubelet suite). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handed.has(port)) continue;
    const server = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!bound) continue;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    handed.add(port);
    return port;
  }
}

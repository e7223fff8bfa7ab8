// Ctrl-C from outside a terminal UI (a SIGINT, as a CI job or `timeout -s INT` sends it) while the
// probe waits on a webhook that never answers: text and JSON output, and bundle, end at once with
// 130 instead of at --timeout.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { removeTempDirs, tempDir } from '../helpers/node-root.js';
import { stalledWebhook, type Stall } from '../helpers/silent-server.js';

afterAll(removeTempDirs);

/** Runs the CLI against a silent webhook and sends SIGINT once the probe is waiting on it. */
async function interruptWhileProbing(stall: Stall, args: (root: string) => string[]) {
  const { root, server } = await stalledWebhook(stall);
  try {
    const child = spawn(process.execPath, [CLI, ...args(root)], { env: { ...process.env, PRISMA_AUDIT_DEBUG_EXIT: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      child.on('close', (code) => resolve({ code, at: performance.now() })),
    );
    await server.spoken;
    const sent = performance.now();
    child.kill('SIGINT');
    const { code, at } = await exited;
    // The cancel closed the probe's socket: the process did not wait on it.
    expect(stderr).not.toMatch(/exit forced; still open: .*(TCPSocketWrap|ProcessWrap)/);
    return { code, ms: at - sent, stdout, stderr };
  } finally {
    server.close();
  }
}

describe('SIGINT during a slow webhook probe', () => {
  it.each([
    ['handshake', 'json'],
    ['post', 'text'],
  ] as const)(
    'waiting on the %s, --output %s exits 130 at once with the report of what finished',
    async (stall, mode) => {
      const r = await interruptWhileProbing(stall, (root) => ['doctor', '--root', root, '--timeout', '30', '--output', mode]);
      expect(r.code).toBe(130);
      expect(r.ms).toBeLessThan(500);
      expect(r.stderr).toContain('prisma-audit: interrupted');
      if (mode === 'json') {
        const report = JSON.parse(r.stdout) as { interrupted?: boolean; checks: { id: string; summary: string }[] };
        expect(report.interrupted).toBe(true);
        expect(report.checks.find((c) => c.id === 'webhook-reachable')?.summary).toContain('interrupted');
      } else expect(r.stdout).toContain('(exit 130)');
    },
    60_000,
  );

  it('bundle writes no archive and exits 130 at once', async () => {
    const out = path.join(await tempDir('bundle'), 'b.tar.gz');
    const r = await interruptWhileProbing('handshake', (root) => ['bundle', '--root', root, '--timeout', '30', '--out', out]);
    expect(r.code).toBe(130);
    expect(r.ms).toBeLessThan(500);
    expect(r.stderr).toContain('interrupted; no bundle written');
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

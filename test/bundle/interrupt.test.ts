// Ctrl-C while a large log is being bundled: exit 130, and nothing is left behind.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CLI, REPO } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-interrupt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

it('removes its spool files and the partial archive when interrupted', async () => {
  const root = path.join(tmp, 'root');
  const spoolDir = path.join(tmp, 'spool');
  const outDir = path.join(tmp, 'out');
  cpSync(path.join(REPO, 'fixtures/scenarios/kubeadm-healthy/root'), root, { recursive: true });
  mkdirSync(spoolDir);
  mkdirSync(outDir);
  const logDir = path.join(root, 'var/log/pods/kube-system_kube-apiserver-n_1/kube-apiserver');
  mkdirSync(logDir, { recursive: true });
  // 64 MiB: long enough to still be redacting when the signal arrives.
  writeFileSync(path.join(logDir, '0.log'), Buffer.alloc(64 * 1024 * 1024, '2026-11-27T08:00:00Z stderr F some apiserver log line\n'));
  const child = spawn(process.execPath, [CLI, 'bundle', '--root', root, '--out', path.join(outDir, 'b.tar.gz'), '--max-size', '1G'], {
    env: { ...process.env, TMPDIR: spoolDir },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  // Interrupt once the spool exists, i.e. while the log is being read.
  while (readdirSync(spoolDir).length === 0) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(stderr).toContain('interrupted; no bundle written');
  expect(code).toBe(130);
  expect(readdirSync(spoolDir)).toEqual([]);
  expect(readdirSync(outDir)).toEqual([]);
});

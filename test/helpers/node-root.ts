// Throwaway node roots for fix tests: a copy of a fixture root, or a bare root holding one manifest.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, REPO, type CliResult } from './cli.js';

const created: string[] = [];

export async function tempDir(prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `prisma-audit-${prefix}-`));
  created.push(dir);
  return dir;
}

/** For afterAll: every folder tempDir made in this test file. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })));
}

export async function copyRoot(fixtureRoot: string): Promise<string> {
  const dir = await tempDir('root');
  await fs.cp(path.resolve(REPO, fixtureRoot), dir, { recursive: true });
  return dir;
}

export async function rootWithManifest(manifestFile: string, hostPath = '/etc/kubernetes/manifests/kube-apiserver.yaml'): Promise<string> {
  const dir = await tempDir('root');
  await fs.mkdir(path.join(dir, path.dirname(hostPath)), { recursive: true });
  await fs.copyFile(manifestFile, path.join(dir, hostPath));
  return dir;
}

/** Every file under dir (relative path -> sha256), to prove what changed and what did not. */
export async function hashTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, full)] = createHash('sha256')
      .update(await fs.readFile(full))
      .digest('hex');
  }
  return out;
}

/** Runs the built CLI in cwd with stdin not a terminal, as a script would. */
export function runIn(cwd: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

// Runs the built CLI as a real process (npm test builds dist/ first).
import { spawn, type SpawnOptions } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO, 'dist/cli.js');
/** Fixtures copied into the repository (see each folder's PROVENANCE.md or SOURCES.md). */
export const FIXTURES = path.join(REPO, 'fixtures');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs dist/cli.js, or another copy of the CLI (`cli`, e.g. an unpacked tarball's). */
export function runCli(args: string[], opts: SpawnOptions & { input?: string; cli?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [opts.cli ?? CLI, ...args], {
      ...opts,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A child that exits before reading its stdin (a usage error, or a command that never reads it)
    // closes the pipe: the write then fails with EPIPE, which says nothing about the CLI under test.
    child.stdin!.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') reject(err);
    });
    child.stdin!.end(opts.input ?? '');
  });
}

export function scenarioRoot(name: string): string {
  return path.join(REPO, 'fixtures/scenarios', name, 'root');
}

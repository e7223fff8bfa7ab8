// Files and folders named on the command line must exist: a typo is a usage error (exit 2) that
// says which option and what is wrong, never a raw ENOENT or a run that checks nothing.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UsageError } from './usage.js';

const WHY: Record<string, string> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'does not exist (a parent is not a directory)',
  EACCES: 'permission denied (run as root?)',
  EPERM: 'permission denied (run as root?)',
  ELOOP: 'is a symbolic link loop',
};

/** Throws a UsageError unless `file` (resolved from cwd) is a `kind` that can be read. */
export async function requirePath(flag: string, file: string, kind: 'file' | 'directory', shownAs = file): Promise<void> {
  try {
    const st = await fs.stat(path.resolve(file));
    if (kind === 'file' && st.isDirectory()) throw new UsageError(`${flag} ${shownAs}: is a directory, not a file`);
    if (kind === 'directory' && !st.isDirectory()) throw new UsageError(`${flag} ${shownAs}: is not a directory`);
    await fs.access(path.resolve(file), fs.constants.R_OK);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    // The container image's default command reads the node at /host: a bare `run` lands here.
    const hint = flag === '--root' && code === 'ENOENT' ? "; mount the node's / there read-only (README: As a container image)" : '';
    throw new UsageError(`${flag} ${shownAs}: ${WHY[code] ?? (err as Error).message}${hint}`);
  }
}

/** Every file the options name, checked together: one message per run, the first problem. */
export async function requireFiles(files: [flag: string, file: string | null | undefined][]): Promise<void> {
  for (const [flag, file] of files) if (file) await requirePath(flag, file, 'file');
}

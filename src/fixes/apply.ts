// The only code that changes files for `fix`: reads the current targets (with a sha256 of what was
// read) and applies artifacts to the node as one transaction: pre-flight (unchanged since planning,
// inside the root, writable, room enough), backups, atomic writes, and on any failure or Ctrl-C every
// write already made is undone. Every path goes through the host-side resolver (host-fs.ts).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Artifact } from './types.js';
import { createExclusive, openRegular, resolveForWrite, resolveUnderRoot, RootEscape } from '../io/host-fs.js';

export interface CurrentFile {
  hostPath: string;
  /** null when the file does not exist. */
  bytes: Buffer | null;
  sha256: string | null;
  mode: number | null;
  uid: number | null;
  gid: number | null;
  /** Why it cannot be replaced (a directory, unreadable), or null. */
  blocked: string | null;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export async function readCurrent(root: string, hostPath: string): Promise<CurrentFile> {
  const real = await resolveUnderRoot(root, hostPath);
  const none = { hostPath, bytes: null, mode: null, uid: null, gid: null };
  try {
    const st = await fs.stat(real);
    if (!st.isFile())
      return {
        ...none,
        sha256: `not-a-file:${st.mode}`,
        blocked: `${hostPath} exists but is not a regular file; remove it first (rmdir if it is an empty directory)`,
      };
    // Opened without following a link swapped in, and never if it became a FIFO meanwhile.
    const { handle } = await openRegular(real, hostPath);
    const bytes = await handle.readFile().finally(() => handle.close());
    return { hostPath, bytes, sha256: sha256(bytes), mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, blocked: null };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ...none, sha256: null, blocked: null };
    if (code === 'EACCES' || code === 'EPERM')
      return { ...none, sha256: `unreadable:${code}`, blocked: `cannot read ${hostPath} (permission denied): run prisma-audit as root` };
    throw err;
  }
}

/** The file a node artifact reads before changing: the target of a write, the source of a move. */
export const readsFrom = (a: Artifact) => (a.kind === 'move' ? a.from : a.hostPath);

export class TargetChanged extends Error {
  constructor(readonly paths: string[]) {
    super(`${paths.join(', ')} changed since it was read; nothing was written. Run fix again to plan against the current files.`);
  }
}

/** The file operations apply uses: the seam the fault-injection test replaces. */
export interface WriterOps {
  /** Writes a whole new file (created exclusively, never through a link). */
  writeNew(file: string, contents: Buffer | string, mode: number, owner: { uid: number | null; gid: number | null }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string): Promise<void>;
  mkdir(dir: string, mode: number): Promise<void>;
}

export const REAL_OPS: WriterOps = {
  async writeNew(file, contents, mode, owner) {
    const handle = await createExclusive(file, mode);
    try {
      await handle.writeFile(contents);
      await handle.chmod(mode);
      if (owner.uid !== null && owner.gid !== null) await handle.chown(owner.uid, owner.gid).catch(() => undefined);
      await handle.sync();
    } catch (err) {
      await handle.close();
      await fs.rm(file, { force: true });
      throw err;
    }
    await handle.close();
  },
  rename: (from, to) => fs.rename(from, to),
  rm: (file) => fs.rm(file, { force: true }),
  mkdir: async (dir, mode) => void (await fs.mkdir(dir, { recursive: true, mode })),
};

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface Applied {
  backupDir: string;
  written: string[];
  created: string[];
  moved: { from: string; to: string }[];
  /** The mode and owner each replaced file had (restored by the rollback commands). */
  previous?: Record<string, { mode: number | null; uid: number | null; gid: number | null }>;
}

/** Why apply stopped; `rolledBack` says whether the node is back as it was. */
export class ApplyFailed extends Error {
  constructor(
    readonly cause: unknown,
    readonly rolledBack: boolean,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApplyOptions {
  ops?: WriterOps;
  /** Ctrl-C: stop before the next write and undo what was written. */
  signal?: AbortSignal;
}

const ENVIRONMENT: Record<string, string> = {
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EACCES: 'permission denied (run as root)',
  EPERM: 'operation not permitted (run as root; is the file immutable?)',
  ABORT_ERR: 'interrupted',
};

interface Step {
  describe: string;
  undo: () => Promise<void>;
}

/**
 * Applies node artifacts in the given order (the caller puts the manifest last), as a transaction:
 * 1. pre-flight: every target re-read and compared with what the plan read (any difference refuses
 *    the whole apply, TargetChanged), resolved inside the root, its directory writable, and room
 *    for everything on each file system;
 * 2. overwritten files are copied to backupDir (a host path mirrored under it) before the first write;
 * 3. each write goes to a temporary file, then a rename; a temporary file is never created in a
 *    static-pod directory (the kubelet would load it): it is made next to the backups and renamed
 *    across when on the same file system, else the target is rewritten in place;
 * 4. any failure, or the signal, undoes every step already made, in reverse, and throws ApplyFailed.
 */
export async function applyArtifacts(
  root: string,
  artifacts: Artifact[],
  read: Map<string, CurrentFile>,
  backupDir: string,
  options: ApplyOptions = {},
): Promise<Applied> {
  const ops = options.ops ?? REAL_OPS;
  const now = await Promise.all(artifacts.map((a) => readCurrent(root, readsFrom(a))));
  const changed = now.filter((c) => c.sha256 !== read.get(c.hostPath)?.sha256).map((c) => c.hostPath);
  if (changed.length > 0) throw new TargetChanged(changed);
  // Backups hold the webhook URL suffix (a shared secret): root-only, and never outside the root.
  const inside = (hostPath: string) =>
    resolveForWrite(root, hostPath).catch((err) => {
      if (err instanceof RootEscape) throw new ApplyFailed(err, true, 'EXDEV', `${err.message}; nothing was changed`);
      throw err;
    });
  const backupReal = await inside(backupDir);
  const targets = new Map<string, string>();
  for (const a of artifacts) targets.set(a.hostPath, await inside(a.hostPath));
  const staticPodDirs = new Set(
    artifacts
      .flatMap((a) => (a.kind === 'move' ? [a.from] : a.fix === 'manifest-patch' ? [a.hostPath] : []))
      .map((p) => path.dirname(targets.get(p) ?? path.join(root, p))),
  );
  await preflight(artifacts, now, targets, backupReal);

  const applied: Applied = { backupDir, written: [], created: [], moved: [], previous: {} };
  const steps: Step[] = [];
  const step = async (describe: string, run: () => Promise<void>, undo: () => Promise<void>) => {
    if (options.signal?.aborted) throw Object.assign(new Error('interrupted'), { code: 'ABORT_ERR' });
    await run();
    steps.push({ describe, undo });
  };
  try {
    await ops.mkdir(backupReal, 0o700);
    for (const c of now) {
      if (!c.bytes || !artifacts.some((a) => a.kind === 'write' && a.hostPath === c.hostPath)) continue;
      const backup = path.join(backupReal, c.hostPath);
      await ops.mkdir(path.dirname(backup), 0o700);
      await step(
        `back up ${c.hostPath}`,
        () => ops.writeNew(backup, c.bytes!, c.mode ?? 0o600, c),
        async () => undefined,
      );
    }
    for (const a of artifacts) {
      const target = targets.get(a.hostPath)!;
      if (a.kind === 'move') {
        const from = await resolveUnderRoot(root, a.from);
        await ops.mkdir(path.dirname(target), 0o700);
        await step(
          `move ${a.from}`,
          () => ops.rename(from, target),
          () => ops.rename(target, from),
        );
        applied.moved.push({ from: a.from, to: a.hostPath });
        continue;
      }
      const current = read.get(a.hostPath)!;
      const mode = current.mode ?? a.mode ?? 0o600;
      const tmpDir = staticPodDirs.has(path.dirname(target)) ? backupReal : path.dirname(target);
      const undo = current.bytes ? () => replaceFile(ops, target, current.bytes!, current, backupReal) : () => ops.rm(target);
      await step(`write ${a.hostPath}`, () => writeAtomic(ops, target, a.contents, mode, current, tmpDir), undo);
      if (current.bytes) {
        applied.written.push(a.hostPath);
        applied.previous![a.hostPath] = { mode: current.mode, uid: current.uid, gid: current.gid };
      } else applied.created.push(a.hostPath);
    }
    return applied;
  } catch (err) {
    const rolledBack = await undoAll(steps);
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    const what = ENVIRONMENT[code] ?? (err as Error).message;
    const state = rolledBack
      ? 'every file written was restored; the node is as it was'
      : 'some files could not be restored: use the backups and the rollback commands';
    throw new ApplyFailed(err, rolledBack, code, `apply stopped (${what}); ${state}`);
  }
}

/** Writable, and room for the new files and backups on each file system (with a margin). */
async function preflight(artifacts: Artifact[], now: CurrentFile[], targets: Map<string, string>, backupReal: string): Promise<void> {
  const need = new Map<string, number>();
  const add = async (file: string, bytes: number) => {
    let dir = path.dirname(file);
    while (!(await fs.stat(dir).catch(() => null)) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    await fs.access(dir, fs.constants.W_OK).catch((err) => {
      throw new ApplyFailed(
        err,
        true,
        (err as NodeJS.ErrnoException).code ?? 'EACCES',
        `cannot write in ${dir}: ${ENVIRONMENT[(err as NodeJS.ErrnoException).code ?? ''] ?? (err as Error).message}; nothing was changed`,
      );
    });
    need.set(dir, (need.get(dir) ?? 0) + bytes + 64 * 1024);
  };
  for (const a of artifacts) if (a.kind === 'write') await add(targets.get(a.hostPath)!, Buffer.byteLength(a.contents));
  for (const c of now) if (c.bytes) await add(path.join(backupReal, c.hostPath), c.bytes.length);
  for (const [dir, bytes] of need) {
    const st = await fs.statfs(dir).catch(() => null);
    if (st && st.bavail * st.bsize < bytes) {
      throw new ApplyFailed(
        null,
        true,
        'ENOSPC',
        `not enough free space in ${dir} (${st.bavail * st.bsize} bytes free, ${bytes} needed); nothing was changed`,
      );
    }
  }
}

/** Writes a temporary file in tmpDir, then renames it over target (fsyncing both directories). When
 * tmpDir is on another file system, the target is rewritten in place instead. */
async function writeAtomic(
  ops: WriterOps,
  target: string,
  contents: Buffer | string,
  mode: number,
  owner: { uid: number | null; gid: number | null },
  tmpDir: string,
): Promise<void> {
  await ops.mkdir(path.dirname(target), 0o755);
  const sameFs = (await fs.stat(tmpDir).catch(() => null))?.dev === (await fs.stat(path.dirname(target))).dev;
  if (!sameFs) return replaceFile(ops, target, contents, { mode, ...owner }, null);
  const tmp = path.join(tmpDir, `.${path.basename(target)}.prisma-audit-${process.pid}.tmp`);
  await ops.writeNew(tmp, contents, mode, owner);
  try {
    await ops.rename(tmp, target);
  } catch (err) {
    await ops.rm(tmp);
    throw err;
  }
  await fsyncDir(path.dirname(target));
}

/** Restores a file's bytes: atomically via tmpDir when given, else in place. */
async function replaceFile(
  ops: WriterOps,
  target: string,
  contents: Buffer | string,
  like: { mode: number | null; uid: number | null; gid: number | null },
  tmpDir: string | null,
): Promise<void> {
  if (tmpDir !== null) return writeAtomic(ops, target, contents, like.mode ?? 0o600, like, tmpDir);
  const handle = await fs.open(target, fs.constants.O_WRONLY | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW);
  try {
    await handle.writeFile(contents);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Undoes the steps in reverse; false when one of them failed too. */
async function undoAll(steps: Step[]): Promise<boolean> {
  let ok = true;
  for (const s of [...steps].reverse()) {
    await s.undo().catch(() => {
      ok = false;
    });
  }
  return ok;
}

/** Single-quoted for sh: safe for any path. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** One command per file, in reverse order of the apply, each restoring that file only: its bytes,
 * mode and owner from the backup (cp -p), a created file removed, a moved file moved back. */
export function rollbackCommands(root: string, applied: Applied): string[] {
  const onNode = (p: string) => shellQuote(path.join(root, p));
  return [
    ...applied.written.map((p) => `cp -p -- ${shellQuote(path.join(root, applied.backupDir, p))} ${onNode(p)}`),
    ...applied.created.map((p) => `rm -f -- ${onNode(p)}`),
    ...applied.moved.map((m) => `mv -- ${onNode(m.to)} ${onNode(m.from)}`),
  ].reverse();
}

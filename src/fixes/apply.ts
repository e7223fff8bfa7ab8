// The only code that changes files for `fix`: reads the current targets (with a sha256 of what was
// read), writes the --out folder, and applies artifacts to the node atomically with backups.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Artifact } from './types.js';
import { resolveUnderRoot } from '../io/host-fs.js';

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
    if (!st.isFile()) return { ...none, sha256: `not-a-file:${st.mode}`, blocked: `${hostPath} exists but is not a regular file; remove it first (rmdir if it is an empty directory)` };
    const bytes = await fs.readFile(real);
    return { hostPath, bytes, sha256: sha256(bytes), mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, blocked: null };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ...none, sha256: null, blocked: null };
    if (code === 'EACCES' || code === 'EPERM') return { ...none, sha256: `unreadable:${code}`, blocked: `cannot read ${hostPath} (permission denied): run prisma-audit as root` };
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

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Temp file in the same directory (dot-named, so a kubelet watching it ignores it), fsync, rename. */
async function writeAtomic(real: string, contents: Buffer | string, like: { mode: number | null; uid: number | null; gid: number | null }, newMode: number): Promise<void> {
  const dir = path.dirname(real);
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  const tmp = path.join(dir, `.${path.basename(real)}.prisma-audit-${process.pid}.tmp`);
  const handle = await fs.open(tmp, 'wx', like.mode ?? newMode);
  try {
    await handle.writeFile(contents);
    await handle.chmod(like.mode ?? newMode);
    if (like.uid !== null && like.gid !== null) await handle.chown(like.uid, like.gid).catch(() => undefined);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, real);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
}

async function moveFile(from: string, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
  try {
    await fs.rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await fs.copyFile(from, to, fs.constants?.COPYFILE_EXCL);
    await fs.rm(from);
  }
}

export interface Applied {
  backupDir: string;
  written: string[];
  created: string[];
  moved: { from: string; to: string }[];
}

/**
 * Applies node artifacts in the given order (the caller puts the manifest last). Every target is
 * re-read first and compared with what the plan read: any difference refuses the whole apply.
 * Overwritten files are copied to backupDir (a host path mirrored under it) before the first write.
 */
export async function applyArtifacts(root: string, artifacts: Artifact[], read: Map<string, CurrentFile>, backupDir: string): Promise<Applied> {
  const now = await Promise.all(artifacts.map((a) => readCurrent(root, readsFrom(a))));
  const changed = now.filter((c) => c.sha256 !== read.get(c.hostPath)?.sha256).map((c) => c.hostPath);
  if (changed.length > 0) throw new TargetChanged(changed);
  const applied: Applied = { backupDir, written: [], created: [], moved: [] };
  // Backups hold the webhook URL suffix (a shared secret): root-only.
  await fs.mkdir(path.join(root, backupDir), { recursive: true, mode: 0o700 });
  for (const c of now) {
    if (!c.bytes) continue;
    const backup = path.join(root, backupDir, c.hostPath);
    if (artifacts.some((a) => a.kind === 'write' && a.hostPath === c.hostPath)) await writeAtomic(backup, c.bytes, c, 0o600);
  }
  for (const a of artifacts) {
    if (a.kind === 'move') {
      await moveFile(await resolveUnderRoot(root, a.from), path.join(root, a.hostPath));
      applied.moved.push({ from: a.from, to: a.hostPath });
      continue;
    }
    const current = read.get(a.hostPath)!;
    await writeAtomic(await resolveUnderRoot(root, a.hostPath), a.contents, current, a.mode ?? 0o600);
    (current.bytes ? applied.written : applied.created).push(a.hostPath);
  }
  return applied;
}

/** One line that undoes the apply: restore the backups (moved files sit there too), drop new files. */
export function rollbackCommand(root: string, applied: Applied): string {
  const onNode = (p: string) => path.join(root, p);
  const restore = `cp -a ${onNode(applied.backupDir)}/. ${root.endsWith('/') ? root : root + '/'}`;
  return applied.created.length > 0 ? `${restore} && rm -f ${applied.created.map(onNode).join(' ')}` : restore;
}

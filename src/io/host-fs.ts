// The one host-side path primitive: every read and write of the node's filesystem under --root goes
// through here. Host paths are absolute paths on the node; symlinks are resolved inside the root (an
// absolute link target is re-rooted, `..` stops at the root), as the kubelet on that node would see
// them, never on the machine running the tool, so a fixture tree or a host mounted at /host behaves
// like the real "/". Special files (FIFOs, devices, sockets) are reported, never opened: opening a
// FIFO for reading blocks until something writes to it. (The container-side resolver, which maps
// container paths through volumeMounts, sits on top of this.)
import { constants, promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { HostStat } from '../model/node.js';
import { mapBounded } from './bounded.js';
import type { HostSeam } from '../kube/container-path.js';

const MAX_LINKS = 40;
/** Linux's PATH_MAX; a longer path (or one that grows past it through links) is refused. */
const MAX_PATH_CHARS = 4096;
/** Every read of a node file ends by then (a hung NFS or FUSE mount must not hang the tool). */
export const READ_DEADLINE_MS = 10_000;

const tooLong = (p: string) => Object.assign(new Error(`path too long: ${p.slice(0, 80)}...`), { code: 'ENAMETOOLONG' });

/** The real path of a host path under root, with every symlink resolved inside root. */
export async function resolveUnderRoot(root: string, hostPath: string): Promise<string> {
  if (hostPath.length > MAX_PATH_CHARS) throw tooLong(hostPath);
  const parts = path.posix
    .normalize('/' + hostPath)
    .split('/')
    .filter(Boolean);
  let resolved: string[] = [];
  let hops = 0;
  while (parts.length > 0) {
    if (parts.length + resolved.length > MAX_PATH_CHARS / 2) throw tooLong(hostPath);
    const part = parts.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const candidate = [...resolved, part];
    const onDisk = path.join(root, ...candidate);
    let target: string | null = null;
    try {
      const st = await fs.lstat(onDisk);
      if (st.isSymbolicLink()) target = await fs.readlink(onDisk);
    } catch {
      // Missing components are reported by the caller's stat.
    }
    if (target === null) {
      resolved = candidate;
      continue;
    }
    if (++hops > MAX_LINKS)
      throw Object.assign(new Error(`too many levels of symbolic links at /${candidate.join('/')}`), { code: 'ELOOP' });
    const targetParts = target.split('/').filter(Boolean);
    if (target.startsWith('/')) resolved = [];
    parts.unshift(...targetParts);
  }
  return path.join(root, ...resolved);
}

/** What a non-regular file is, in words (for "is a FIFO: not read"). */
export function specialKind(st: Stats): string | null {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return null;
}

/** Settles with the promise, or rejects with ETIMEDOUT after ms (the pending call is abandoned). */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ReadFailure('ETIMEDOUT', `${what} did not answer within ${ms / 1000} s (a hung network or FUSE mount?)`)),
      ms,
    );
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Opens an already resolved path for reading, only if it is a regular file: lstat first (a special
 * file is refused without being opened), then O_NONBLOCK|O_NOFOLLOW (a link swapped in is not
 * followed on this machine), then fstat to check it is still the file that was looked at.
 * `shown` is the path as the user knows it (without the --root prefix).
 */
export async function openRegular(real: string, shown: string): Promise<{ handle: FileHandle; size: number }> {
  const before = await fs.lstat(real).catch((err) => {
    throw new ReadFailure(errInfo(err).code, errInfo(err).message);
  });
  if (before.isDirectory()) throw new ReadFailure('EISDIR', `read ${shown}: is a directory`);
  const special = specialKind(before);
  if (special) throw new ReadFailure('ESPECIAL', `${shown} is ${special}, not a regular file: not read`);
  if (!before.isFile()) throw new ReadFailure('ELOOP', `${shown} is a symbolic link leading out of where it may: not followed`);
  let handle: FileHandle;
  try {
    handle = await fs.open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (err) {
    throw new ReadFailure(errInfo(err).code, errInfo(err).message);
  }
  const now = await handle.stat();
  if (now.ino !== before.ino || now.dev !== before.dev || !now.isFile()) {
    await handle.close();
    throw new ReadFailure('ECHANGED', `${shown} was replaced while it was read`);
  }
  return { handle, size: now.size };
}

/** Opens a host file under root for reading (see openRegular). */
export async function openHostFile(root: string, hostPath: string): Promise<{ handle: FileHandle; size: number; real: string }> {
  const real = await resolveUnderRoot(root, hostPath).catch((err) => {
    throw new ReadFailure(errInfo(err).code, errInfo(err).message);
  });
  return { ...(await openRegular(real, displayPath(hostPath))), real };
}

/**
 * The real path to write a host path at: resolved inside the root, then checked on this machine,
 * where the deepest existing ancestor must really be under the root (a bind mount or a link swapped
 * in between would otherwise carry the write out of it). Throws RootEscape.
 */
export async function resolveForWrite(root: string, hostPath: string): Promise<string> {
  const real = await resolveUnderRoot(root, hostPath);
  const realRoot = await fs.realpath(root);
  let existing = real;
  while (!(await fs.lstat(existing).catch(() => null)) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  const actual = await fs.realpath(existing);
  if (actual !== realRoot && !actual.startsWith(realRoot + path.sep)) throw new RootEscape(displayPath(hostPath), actual);
  return real;
}

export class RootEscape extends Error {
  constructor(
    readonly hostPath: string,
    readonly actual: string,
  ) {
    super(`${hostPath} resolves to ${actual} on this machine, outside --root: refusing to write there`);
  }
}

/** Creates a new file for writing: O_CREAT|O_EXCL|O_NOFOLLOW, never through an existing file or link. */
export function createExclusive(file: string, mode: number): Promise<FileHandle> {
  return fs.open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
}

/** Host path as shown to users: the node path, never the --root prefix. */
export function displayPath(hostPath: string): string {
  return path.posix.normalize('/' + hostPath);
}

export async function statHost(root: string, hostPath: string, checkRead = true): Promise<HostStat> {
  let real: string;
  try {
    real = await resolveUnderRoot(root, hostPath);
  } catch (err) {
    return { kind: 'missing', size: null, readable: null, resolved: null, error: errInfo(err) };
  }
  const shown = '/' + path.relative(root, real);
  const resolved = shown === displayPath(hostPath) ? null : shown;
  let st;
  try {
    st = await fs.stat(real);
  } catch (err) {
    const info = errInfo(err);
    return {
      kind: info.code === 'ENOENT' || info.code === 'ENOTDIR' ? 'missing' : 'other',
      size: null,
      readable: null,
      resolved,
      error: info,
    };
  }
  const kind = st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
  let readable: boolean | null = null;
  let error: HostStat['error'] = null;
  if (checkRead && kind !== 'other') {
    try {
      await fs.access(real, constants.R_OK);
      readable = true;
    } catch (err) {
      readable = false;
      error = errInfo(err);
    }
  }
  return { kind, size: kind === 'file' ? st.size : null, readable, resolved, error };
}

/** The node as the container-path walk needs it: lstat/readlink of paths whose parents are already known
 * not to be links, and realpath/stat that resolve host links inside root. Nothing leaves root. */
export function hostSeam(root: string): HostSeam {
  const onDisk = (hostPath: string) => path.join(root, displayPath(hostPath));
  return {
    async lstat(hostPath) {
      try {
        const st = await fs.lstat(onDisk(hostPath));
        const kind = st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
        return { kind, size: st.isFile() ? st.size : null, error: null };
      } catch (err) {
        const info = errInfo(err);
        return { kind: 'missing', size: null, error: info.code === 'ENOENT' || info.code === 'ENOTDIR' ? null : info.message };
      }
    },
    readlink: (hostPath) => fs.readlink(onDisk(hostPath)),
    async realpath(hostPath) {
      try {
        return { path: '/' + path.relative(root, await resolveUnderRoot(root, hostPath)), error: null };
      } catch (err) {
        return { path: null, error: errInfo(err).message };
      }
    },
    stat: (hostPath) => statHost(root, hostPath),
  };
}

export class ReadFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reads a host file as UTF-8, refusing anything larger than maxBytes (never loads a huge file),
 * anything not a regular file (never opens it), and any read that outlasts the deadline. */
export async function readHostText(root: string, hostPath: string, maxBytes: number): Promise<{ text: string; size: number }> {
  const { handle, size } = await withDeadline(openHostFile(root, hostPath), READ_DEADLINE_MS, `opening ${displayPath(hostPath)}`);
  try {
    if (size > maxBytes)
      throw new ReadFailure(
        'EFBIG',
        `${displayPath(hostPath)} is ${size} bytes, more than the ${maxBytes}-byte limit for a configuration file`,
      );
    const buf = Buffer.alloc(Math.min(size, maxBytes) + 1);
    const { bytesRead } = await withDeadline(handle.read(buf, 0, buf.length, 0), READ_DEADLINE_MS, `reading ${displayPath(hostPath)}`);
    if (bytesRead > maxBytes)
      throw new ReadFailure('EFBIG', `${displayPath(hostPath)} is larger than the ${maxBytes}-byte limit for a configuration file`);
    return { text: buf.subarray(0, bytesRead).toString('utf8'), size: bytesRead };
  } catch (err) {
    if (err instanceof ReadFailure) throw err;
    const info = errInfo(err);
    throw new ReadFailure(info.code, info.message);
  } finally {
    await handle.close();
  }
}

/** A directory listing stops here: the kubelet's manifest directory or a pod log folder with more
 * entries is hostile or broken, and listing it all would cost gigabytes. */
export const MAX_DIR_ENTRIES = 100_000;
/** Entries stat'ed at once: enough to hide latency, few enough to keep memory flat. */
const STAT_CONCURRENCY = 16;

/** Entries beyond this many get their kind from the directory itself (d_type), without a stat and
 * so without a size: 100k stats cost tens of seconds on a busy node. */
const MAX_STATS = 10_000;

/** Lists a host directory (sorted, at most MAX_DIR_ENTRIES names: `truncated` says so), with the
 * kind and size of each entry; a symlink entry is resolved inside the root. */
export async function listHostDir(root: string, hostPath: string): Promise<{ name: string; stat: HostStat }[] & { truncated?: boolean }> {
  const real = await resolveUnderRoot(root, hostPath);
  const found: { name: string; kind: HostStat['kind'] | 'link' }[] = [];
  let truncated = false;
  const dir = await fs.opendir(real, { bufferSize: 256 });
  try {
    for await (const entry of dir) {
      if (found.length >= MAX_DIR_ENTRIES) {
        truncated = true;
        break;
      }
      found.push({
        name: entry.name,
        kind: entry.isSymbolicLink() ? 'link' : entry.isFile() ? 'file' : entry.isDirectory() ? 'directory' : 'other',
      });
    }
  } finally {
    await dir.close().catch(() => undefined);
  }
  found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: { name: string; stat: HostStat }[] & { truncated?: boolean } = await mapBounded(
    found,
    STAT_CONCURRENCY,
    async ({ name, kind }, i) => {
      const plain: HostStat = { kind: kind === 'link' ? 'other' : kind, size: null, readable: null, resolved: null, error: null };
      return { name, stat: kind === 'link' || i < MAX_STATS ? await entryStat(root, real, hostPath, name) : plain };
    },
  );
  if (truncated) out.truncated = true;
  return out;
}

/** One entry of a resolved directory: an lstat there, or the full resolution for a link. */
async function entryStat(root: string, realDir: string, hostDir: string, name: string): Promise<HostStat> {
  const st = await fs.lstat(path.join(realDir, name)).catch(() => null);
  if (!st || st.isSymbolicLink()) return statHost(root, path.posix.join(hostDir, name), false);
  const kind = st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
  return { kind, size: kind === 'file' ? st.size : null, readable: null, resolved: null, error: null };
}

export async function hostExists(root: string, hostPath: string): Promise<boolean> {
  return (await statHost(root, hostPath, false)).kind !== 'missing';
}

function errInfo(err: unknown): { code: string; message: string } {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? 'EIO';
  const plain: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOTDIR: 'a path component is not a directory',
    ELOOP: 'too many levels of symbolic links',
    EISDIR: 'is a directory',
  };
  return { code, message: plain[code] ?? (e instanceof Error ? e.message : String(err)) };
}

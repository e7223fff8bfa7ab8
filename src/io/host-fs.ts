// Reads the node's filesystem under --root. Host paths are absolute paths on the node; symlinks are
// followed inside the root (an absolute link target is re-rooted), as the kubelet on that node would
// see them, so a fixture tree or a host mounted at /host behaves like the real "/".
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { HostStat } from '../model/node.js';

const MAX_LINKS = 40;

/** The real path of a host path under root, with every symlink resolved inside root. */
export async function resolveUnderRoot(root: string, hostPath: string): Promise<string> {
  const parts = path.posix.normalize('/' + hostPath).split('/').filter(Boolean);
  let resolved: string[] = [];
  let hops = 0;
  while (parts.length > 0) {
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
    if (++hops > MAX_LINKS) throw Object.assign(new Error(`too many levels of symbolic links at /${candidate.join('/')}`), { code: 'ELOOP' });
    const targetParts = target.split('/').filter(Boolean);
    if (target.startsWith('/')) resolved = [];
    parts.unshift(...targetParts);
  }
  return path.join(root, ...resolved);
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
    return { kind: info.code === 'ENOENT' || info.code === 'ENOTDIR' ? 'missing' : 'other', size: null, readable: null, resolved, error: info };
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

export class ReadFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reads a host file as UTF-8, refusing anything larger than maxBytes (never loads a huge file). */
export async function readHostText(root: string, hostPath: string, maxBytes: number): Promise<{ text: string; size: number }> {
  const real = await resolveUnderRoot(root, hostPath).catch((err) => {
    throw new ReadFailure(errInfo(err).code, errInfo(err).message);
  });
  let handle;
  try {
    handle = await fs.open(real, 'r');
  } catch (err) {
    const info = errInfo(err);
    throw new ReadFailure(info.code, info.message);
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw new ReadFailure('EISDIR', `read ${displayPath(hostPath)}: is a directory`);
    if (st.size > maxBytes) throw new ReadFailure('EFBIG', `${displayPath(hostPath)} is ${st.size} bytes, more than the ${maxBytes}-byte limit for a configuration file`);
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    if (bytesRead > maxBytes) throw new ReadFailure('EFBIG', `${displayPath(hostPath)} is larger than the ${maxBytes}-byte limit for a configuration file`);
    return { text: buf.subarray(0, bytesRead).toString('utf8'), size: bytesRead };
  } catch (err) {
    if (err instanceof ReadFailure) throw err;
    const info = errInfo(err);
    throw new ReadFailure(info.code, info.message);
  } finally {
    await handle.close();
  }
}

export async function listHostDir(root: string, hostPath: string): Promise<{ name: string; stat: HostStat }[]> {
  const real = await resolveUnderRoot(root, hostPath);
  const names = (await fs.readdir(real)).sort();
  return Promise.all(names.map(async (name) => ({ name, stat: await statHost(root, path.posix.join(hostPath, name), false) })));
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

// Finds and opens the kube-apiserver container logs the kubelet keeps under --root, and any file
// given with --log-file. Opening is separate from reading so that "missing" and "not permitted" are
// told apart before a byte is scanned. Every path is resolved inside the root (host-fs.ts), and a
// log that links out of /var/log (to /etc/shadow, say) is not read.
import { lstat, readdir } from 'node:fs/promises';
import { join, posix, relative, resolve } from 'node:path';
import { openRegular, ReadFailure, resolveUnderRoot } from './host-fs.js';

export const PODS_GLOB = '/var/log/pods/kube-system_kube-apiserver-*/kube-apiserver/*.log';
export const CONTAINERS_GLOB = '/var/log/containers/kube-apiserver-*.log';

const READ_CHUNK = 1024 * 1024;

export interface FoundLogs {
  /** Host paths under root, newest attempt last within each pod directory. */
  files: string[];
  /** Links left out because they point at files already read. */
  duplicates: number;
  /** Why nothing could be listed: a missing directory is `missing`, EACCES is `denied`. */
  problem: { kind: 'missing' | 'denied'; message: string } | null;
}

/** `/var/log/pods/kube-system_kube-apiserver-<node>_<uid>/kube-apiserver/<attempt>.log`. */
export async function findPodLogs(root: string): Promise<FoundLogs> {
  const listed = await list(root, '/var/log/pods');
  if ('problem' in listed) return { files: [], duplicates: 0, problem: listed.problem };
  const files: string[] = [];
  for (const pod of listed.names.filter((n) => n.startsWith('kube-system_kube-apiserver-')).sort()) {
    const dir = posix.join('/var/log/pods', pod, 'kube-apiserver');
    const inDir = await list(root, dir);
    if ('problem' in inDir) continue;
    const attempts = inDir.names.filter((n) => /^\d+\.log$/.test(n)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    for (const n of attempts) files.push(await resolveLog(root, posix.join(dir, n)).catch(() => join(root, dir, n)));
  }
  return { files, duplicates: 0, problem: null };
}

/** Where a log's host path leads, resolved inside root; a log must stay under /var/log (the
 * kubelet writes regular files there; a link elsewhere is not a log). */
export async function resolveLog(root: string, hostPath: string): Promise<string> {
  const real = await resolveUnderRoot(root, hostPath);
  const shown = nodePath(root, real);
  if (!(await lstat(real).catch(() => null)))
    throw new ReadFailure('ENOENT', `no such file or directory (${hostPath} is a dangling link to ${shown}?)`);
  if (!shown.startsWith('/var/log/'))
    throw new ReadFailure('ELINKOUT', `${hostPath} links to ${shown}, outside /var/log: not read as a log`);
  return real;
}

/** `/var/log/containers/kube-apiserver-*.log`: usually symlinks into /var/log/pods, which are read
 * there already; a link is followed inside root (its absolute target names the node's own path). */
export async function findContainerLogs(root: string, alreadyRead: string[]): Promise<FoundLogs> {
  const dir = '/var/log/containers';
  const listed = await list(root, dir);
  if ('problem' in listed) return { files: [], duplicates: 0, problem: listed.problem };
  const seen = new Set(alreadyRead.map((f) => resolve(f)));
  const files: string[] = [];
  let duplicates = 0;
  for (const name of listed.names.filter((n) => n.startsWith('kube-apiserver-') && n.endsWith('.log')).sort()) {
    const target = await resolveLog(root, posix.join(dir, name)).catch(() => join(root, dir, name));
    if (seen.has(target)) duplicates++;
    else files.push(target);
    seen.add(target);
  }
  return { files, duplicates, problem: null };
}

/** Lists a host directory under root; problems name the node path, never the --root prefix. */
async function list(root: string, shown: string): Promise<{ names: string[] } | { problem: NonNullable<FoundLogs['problem']> }> {
  try {
    return { names: await readdir(await resolveUnderRoot(root, shown)) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const kind = code === 'EACCES' || code === 'EPERM' ? 'denied' : 'missing';
    const what = kind === 'denied' ? 'permission denied' : code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`;
    return { problem: { kind, message: `${shown} ${what}` } };
  }
}

export type OpenedLog = { ok: true; stream: AsyncIterable<Buffer> } | { ok: false; kind: 'missing' | 'denied'; message: string };

/** Opens a log for streaming, only if it is a regular file (a FIFO is reported, never opened); a
 * directory, a special or a missing file is `missing`, EACCES is `denied`. */
export async function openLog(path: string, shown = path): Promise<OpenedLog> {
  try {
    const { handle } = await openRegular(path, shown);
    return { ok: true, stream: handle.createReadStream({ highWaterMark: READ_CHUNK, autoClose: true }) as AsyncIterable<Buffer> };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const kind = code === 'EACCES' || code === 'EPERM' ? 'denied' : 'missing';
    return {
      ok: false,
      kind,
      message: err instanceof ReadFailure && code !== 'ENOENT' ? err.message : `${code ?? 'error'} opening ${shown}`,
    };
  }
}

/** The path as the node sees it: without the --root prefix. */
export function nodePath(root: string, path: string): string {
  const rel = relative(resolve(root), resolve(path));
  return rel.startsWith('..') ? path : posix.join('/', rel);
}

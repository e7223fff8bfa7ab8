// Finds and opens the kube-apiserver container logs the kubelet keeps under --root, and any file
// given with --log-file. Opening is separate from reading so that "missing" and "not permitted" are
// told apart before a byte is scanned.
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { isAbsolute, join, posix, relative, resolve } from 'node:path';

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
  const podsDir = join(root, 'var/log/pods');
  const listed = await list(podsDir);
  if ('problem' in listed) return { files: [], duplicates: 0, problem: listed.problem };
  const files: string[] = [];
  for (const pod of listed.names.filter((n) => n.startsWith('kube-system_kube-apiserver-')).sort()) {
    const dir = join(podsDir, pod, 'kube-apiserver');
    const inDir = await list(dir);
    if ('problem' in inDir) continue;
    const attempts = inDir.names.filter((n) => /^\d+\.log$/.test(n)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    files.push(...attempts.map((n) => join(dir, n)));
  }
  return { files, duplicates: 0, problem: null };
}

/** `/var/log/containers/kube-apiserver-*.log`: usually symlinks into /var/log/pods, which are read
 * there already; a link is followed inside root (its absolute target names the node's own path). */
export async function findContainerLogs(root: string, alreadyRead: string[]): Promise<FoundLogs> {
  const dir = join(root, 'var/log/containers');
  const listed = await list(dir);
  if ('problem' in listed) return { files: [], duplicates: 0, problem: listed.problem };
  const seen = new Set(alreadyRead.map((f) => resolve(f)));
  const files: string[] = [];
  let duplicates = 0;
  for (const name of listed.names.filter((n) => n.startsWith('kube-apiserver-') && n.endsWith('.log')).sort()) {
    const target = await linkTarget(root, join(dir, name));
    if (seen.has(target)) duplicates++;
    else files.push(target);
    seen.add(target);
  }
  return { files, duplicates, problem: null };
}

async function linkTarget(root: string, path: string): Promise<string> {
  try {
    if (!(await lstat(path)).isSymbolicLink()) return resolve(path);
    const target = await readlink(path);
    return isAbsolute(target) ? resolve(join(root, target)) : resolve(path, '..', target);
  } catch {
    return resolve(path);
  }
}

async function list(dir: string): Promise<{ names: string[] } | { problem: NonNullable<FoundLogs['problem']> }> {
  try {
    return { names: await readdir(dir) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const kind = code === 'EACCES' || code === 'EPERM' ? 'denied' : 'missing';
    return { problem: { kind, message: `${code ?? 'error'} reading ${dir}` } };
  }
}

export type OpenedLog =
  | { ok: true; stream: AsyncIterable<Buffer> }
  | { ok: false; kind: 'missing' | 'denied'; message: string };

/** Opens a log for streaming; a directory or a missing file is `missing`, EACCES is `denied`. */
export async function openLog(path: string): Promise<OpenedLog> {
  try {
    const handle = await open(path, 'r');
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      return { ok: false, kind: 'missing', message: `${path} is not a regular file` };
    }
    return { ok: true, stream: handle.createReadStream({ highWaterMark: READ_CHUNK, autoClose: true }) as AsyncIterable<Buffer> };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const kind = code === 'EACCES' || code === 'EPERM' ? 'denied' : 'missing';
    return { ok: false, kind, message: `${code ?? 'error'} opening ${path}` };
  }
}

/** The path as the node sees it: without the --root prefix. */
export function nodePath(root: string, path: string): string {
  const rel = relative(resolve(root), resolve(path));
  return rel.startsWith('..') ? path : posix.join('/', rel);
}

// Resolves a path as the kube-apiserver container resolves it: component by component, each one mapped
// through the pod's volumeMounts (deepest mountPath wins, subPath honoured) to the host behind it, and
// every symlink followed as the CONTAINER sees it: an absolute target is a container path, mapped through
// the mounts again; a relative one is taken from the container directory holding the link. The host is
// reached only through a small seam (lstat/readlink/realpath of node paths), so this stays a pure walk.
import path from 'node:path';
import type { ContainerResolution, HostStat, MountMapping, Volume, VolumeMount } from '../model/node.js';
import { covers } from '../parse/mounts.js';

/** Node paths (absolute, as on the node) in, facts about them out; the io side keeps every access
 * inside --root. */
export interface HostSeam {
  lstat(
    hostPath: string,
  ): Promise<{ kind: 'file' | 'directory' | 'symlink' | 'other' | 'missing'; size: number | null; error: string | null }>;
  readlink(hostPath: string): Promise<string>;
  /** The node path with every host symlink resolved inside the root (how runc resolves a bind source). */
  realpath(hostPath: string): Promise<{ path: string | null; error: string | null }>;
  /** Full stat (links followed on the host), used for the host side of a mount point. */
  stat(hostPath: string): Promise<HostStat>;
}

/** Linux MAXSYMLINKS: the kernel gives ELOOP after 40 links in one lookup. */
export const MAX_LINKS = 40;

const split = (p: string) => p.split('/').filter((s) => s !== '' && s !== '.');
const join = (parts: string[]) => '/' + parts.join('/');
const clean = (p: string) => path.posix.normalize('/' + p).replace(/(.)\/+$/, '$1');

function deepestMount(containerPath: string, mounts: VolumeMount[]): VolumeMount | null {
  let best: VolumeMount | null = null;
  for (const m of mounts) {
    if (!m.mountPath || !covers(m.mountPath, containerPath)) continue;
    // Equal depth: the later mount is the one on top.
    if (!best || clean(m.mountPath).length >= clean(best.mountPath).length) best = m;
  }
  return best;
}

function mappingOf(m: VolumeMount, volumes: Volume[]): MountMapping {
  let volume: Volume | null = null;
  for (const v of volumes) if (v.name === m.name) volume = v;
  return { mountName: m.name, mountPath: m.mountPath, readOnly: m.readOnly, subPath: m.subPath, mountLine: m.line, volume };
}

interface Source {
  /** Host directory or file the mount shows, host links resolved; null when it cannot be shown. */
  host: string | null;
  stat: HostStat | null;
  problem: string | null;
  kind: ContainerResolution['kind'] | null;
}

/** What a mount point shows: the volume's hostPath (+ subPath), resolved on the host as runc does. */
async function mountSource(mapping: MountMapping, seam: HostSeam): Promise<Source> {
  const v = mapping.volume;
  if (!v)
    return { host: null, stat: null, kind: 'no-volume', problem: `volumeMount "${mapping.mountName}" names no volume in spec.volumes` };
  if (v.hostPath === null || v.hostPath === '') {
    return {
      host: null,
      stat: null,
      kind: 'not-hostpath',
      problem: `volume "${v.name}" is a ${v.otherKind ?? 'non-hostPath'} volume: its contents are not on the node's disk`,
    };
  }
  const base = await seam.realpath(v.hostPath);
  if (base.path === null) return { host: null, stat: null, kind: 'error', problem: `hostPath ${v.hostPath}: ${base.error}` };
  let host = base.path;
  if (mapping.subPath) {
    const sub = mapping.subPath;
    if (path.posix.isAbsolute(sub) || split(sub).includes('..')) {
      return {
        host: null,
        stat: null,
        kind: 'escape',
        problem: `subPath "${sub}" of volumeMount "${mapping.mountName}" leaves its volume: the kubelet rejects the pod`,
      };
    }
    const resolved = await seam.realpath(path.posix.join(base.path, sub));
    if (resolved.path === null) return { host: null, stat: null, kind: 'error', problem: `subPath ${sub}: ${resolved.error}` };
    if (!covers(base.path, resolved.path)) {
      return {
        host: null,
        stat: null,
        kind: 'escape',
        problem: `subPath "${sub}" resolves on the host to ${resolved.path}, outside volume "${v.name}" (${v.hostPath}): the kubelet refuses to start the container`,
      };
    }
    host = resolved.path;
  }
  const stat = await seam.stat(host);
  if (stat.kind === 'missing') {
    // What the kubelet and containerd put there at start: untyped and DirectoryOrCreate become an empty
    // directory (the CRI creates a missing bind source), FileOrCreate an empty file; File/Directory refuse.
    const type = mapping.subPath ? 'DirectoryOrCreate' : v.hostPathType;
    if (type === '' || type === 'DirectoryOrCreate')
      return {
        host,
        stat: { ...stat, kind: 'directory' },
        kind: null,
        problem: `${host} does not exist: it is created as an empty directory when the pod starts`,
      };
    if (type === 'FileOrCreate')
      return {
        host,
        stat: { ...stat, kind: 'file', size: 0 },
        kind: null,
        problem: `${host} does not exist: the kubelet creates it empty`,
      };
    return {
      host,
      stat,
      kind: 'refused',
      problem: `hostPath ${host} does not exist and its type is ${type}: the kubelet refuses the volume`,
    };
  }
  return { host, stat, kind: null, problem: null };
}

/** Walks `containerPath` inside the apiserver container. */
export async function resolveInContainer(
  containerPath: string,
  mounts: VolumeMount[],
  volumes: Volume[],
  seam: HostSeam,
): Promise<ContainerResolution> {
  const chain: string[] = [];
  const sources = new Map<VolumeMount, Source>();
  const sourceOf = async (m: VolumeMount, mapping: MountMapping) => {
    if (!sources.has(m)) sources.set(m, await mountSource(mapping, seam));
    return sources.get(m)!;
  };
  const result = (r: Omit<ContainerResolution, 'containerPath' | 'chain'>): ContainerResolution => ({ containerPath, chain, ...r });

  let pending = split(containerPath);
  let done: string[] = [];
  let hops = 0;
  let last: { mapping: MountMapping | null; host: string | null; stat: HostStat | null } = { mapping: null, host: null, stat: null };
  const firstMount = deepestMount(clean(containerPath), mounts);
  const first = firstMount ? mappingOf(firstMount, volumes) : null;
  while (pending.length > 0) {
    const name = pending.shift()!;
    if (name === '..') {
      done.pop();
      continue;
    }
    const cur = join([...done, name]);
    const rest = pending.length > 0;
    const m = deepestMount(cur, mounts);
    if (!m) {
      // Outside every volume: the image's own filesystem, which holds the binary and little else. Its only
      // directories that matter here are the ones runc creates as mount points.
      if (mounts.some((x) => x.mountPath && covers(cur, x.mountPath) && clean(x.mountPath) !== cur)) {
        done.push(name);
        last = { mapping: null, host: null, stat: null };
        continue;
      }
      const hint = await seam.lstat(cur);
      const onHost = hint.kind !== 'missing' ? ` (the node has ${cur}, but no volumeMount shows it to the container)` : '';
      return result({
        kind: 'unmounted',
        resolvedPath: join([...done, name, ...pending]),
        brokenAt: cur,
        mapping: null,
        hostPath: null,
        host: null,
        first,
        problem: `no volumeMount covers ${cur}${onHost}`,
      });
    }
    const mapping = mappingOf(m, volumes);
    const src = await sourceOf(m, mapping);
    if (src.kind)
      return result({
        kind: src.kind,
        resolvedPath: join([...done, name, ...pending]),
        brokenAt: cur,
        mapping,
        hostPath: src.host,
        host: src.stat,
        first,
        problem: src.problem,
      });
    const host = path.posix.join(src.host!, path.posix.relative(clean(m.mountPath), cur));
    if (cur === clean(m.mountPath)) {
      // A mount point is what the bind source is (host links already resolved), never a link itself.
      if (rest && src.stat!.kind !== 'directory') {
        return result({
          kind: 'missing',
          resolvedPath: join([...done, name, ...pending]),
          brokenAt: cur,
          mapping,
          hostPath: host,
          host: src.stat,
          first,
          problem: `${cur} is a ${src.stat!.kind} (volume "${m.name}"), not a directory`,
        });
      }
      done.push(name);
      last = { mapping, host, stat: src.stat };
      continue;
    }
    const st = await seam.lstat(host);
    if (st.kind === 'symlink') {
      if (++hops > MAX_LINKS) {
        return result({
          kind: 'loop',
          resolvedPath: cur,
          brokenAt: cur,
          mapping,
          hostPath: host,
          host: null,
          first,
          problem: `more than ${MAX_LINKS} symbolic links: too many levels of symbolic links`,
        });
      }
      const target = await seam.readlink(host);
      const absolute = target.startsWith('/');
      chain.push(
        `${cur} -> ${target} (${absolute ? 'absolute: read as a path inside the container' : `relative to ${join(done)}`}; host ${host})`,
      );
      if (absolute) done = [];
      pending = [...split(target), ...pending];
      continue;
    }
    const broken =
      st.kind === 'missing'
        ? `${host} (volume "${m.name}") does not exist on the node`
        : rest && st.kind !== 'directory'
          ? `${cur} is a ${st.kind}, not a directory`
          : null;
    if (broken) {
      return result({
        kind: 'missing',
        resolvedPath: join([...done, name, ...pending]),
        brokenAt: cur,
        mapping,
        hostPath: host,
        host: null,
        first,
        problem: broken,
      });
    }
    done.push(name);
    last = { mapping, host, stat: null };
  }
  const finalPath = join(done);
  const stat = last.stat ?? (last.host ? await seam.stat(last.host) : null);
  if (!stat) {
    return result({
      kind: 'directory',
      resolvedPath: finalPath,
      brokenAt: null,
      mapping: last.mapping,
      hostPath: null,
      host: null,
      first,
      problem: null,
    });
  }
  const kind = stat.kind === 'missing' ? 'missing' : stat.kind;
  return result({
    kind,
    resolvedPath: finalPath,
    brokenAt: kind === 'missing' ? finalPath : null,
    mapping: last.mapping,
    hostPath: last.host,
    host: stat,
    first,
    problem: null,
  });
}

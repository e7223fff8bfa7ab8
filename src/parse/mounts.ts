// Maps a path inside the apiserver container to the host path behind it, through volumeMounts and
// volumes[].hostPath, as the container runtime does: the deepest mount covering the path wins.
import path from 'node:path';
import type { MountMapping, Volume, VolumeMount } from '../model/node.js';

const clean = (p: string) => path.posix.normalize(p).replace(/(.)\/+$/, '$1');

/** True when `p` is `dir` or inside it (component-wise: /etc/kube does not cover /etc/kubernetes). */
export function covers(dir: string, p: string): boolean {
  const d = clean(dir);
  const c = clean(p);
  return d === '/' || c === d || c.startsWith(d + '/');
}

export interface Mapped {
  mapping: MountMapping | null;
  /** Host path, or null when the covering volume is not a hostPath or does not exist. */
  hostPath: string | null;
}

export function mapContainerPath(containerPath: string, mounts: VolumeMount[], volumes: Volume[]): Mapped {
  let best: VolumeMount | null = null;
  for (const m of mounts) {
    if (!m.mountPath || !covers(m.mountPath, containerPath)) continue;
    // Equal depth: the later mount is the one on top.
    if (!best || clean(m.mountPath).length >= clean(best.mountPath).length) best = m;
  }
  if (!best) return { mapping: null, hostPath: null };
  let volume: Volume | null = null;
  for (const v of volumes) if (v.name === best.name) volume = v;
  const mapping: MountMapping = {
    mountName: best.name,
    mountPath: best.mountPath,
    readOnly: best.readOnly,
    subPath: best.subPath,
    mountLine: best.line,
    volume,
  };
  if (!volume || volume.hostPath === null || volume.hostPath === '') return { mapping, hostPath: null };
  const rest = path.posix.relative(clean(best.mountPath), clean(containerPath));
  const hostPath = path.posix.join(volume.hostPath, best.subPath ?? '', rest);
  return { mapping, hostPath: clean(hostPath) };
}

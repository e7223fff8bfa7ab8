// Which host directories the fleet pod mounts: only what the doctor reads, each its own read-only
// hostPath under /host, never the host's `/`. A read-only hostPath is read-only only at its top
// (1.20 with runc 1.1 has no recursive read-only bind), so a broad directory such as /etc or
// /var/log would bring writable mounts beneath it: those are never mounted whole; the audit files
// under them are mounted one by one instead. Pure.
import path from 'node:path';
import type { ApiserverPod } from '../../model/cluster.js';
import type { Distribution } from '../../model/node.js';
import type { HostMount, MountPlan } from '../../model/fleet.js';

/** Directories that are never mounted whole: the system's trunk, and directories that hold other
 * workloads' secrets (kubelet pod volumes, container layers) or cluster-admin credentials. */
const BROAD = new Set([
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/lib64',
  '/mnt',
  '/opt',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/srv',
  '/sys',
  '/tmp',
  '/usr',
  '/usr/local',
  '/var',
  '/var/lib',
  '/var/log',
  '/var/run',
  '/var/snap',
  '/etc/kubernetes',
  '/var/lib/kubelet',
  '/var/lib/containerd',
  '/var/lib/docker',
  '/var/lib/rancher',
]);
const KERNEL = ['/proc', '/sys', '/dev'];
const TOO_BROAD =
  'too broad to mount whole (a read-only hostPath stays writable beneath its top); the audit files under it are mounted one by one';

/** Where each distribution's kubelet reads static pods (kubeadm's default staticPodPath). */
export function manifestsDirOf(distribution: Distribution): string {
  return distribution === 'rke2' ? '/var/lib/rancher/rke2/agent/pod-manifests' : '/etc/kubernetes/manifests';
}

/** What the doctor reads on a node that shows no apiserver pod (k3s, MicroK8s, or a node whose
 * apiserver is down): every known configuration place; those the node lacks are dropped when the
 * kubelet refuses them. */
const DISCOVERY_DIRS: HostMount[] = [
  { hostPath: '/etc/kubernetes/manifests', type: 'Directory', why: 'static-pod manifests (kubeadm, kops)' },
  { hostPath: '/etc/rancher/k3s', type: 'Directory', why: 'k3s configuration (kube-apiserver-arg)' },
  { hostPath: '/var/snap/microk8s/current/args', type: 'Directory', why: 'MicroK8s apiserver arguments' },
];

const LOG_DIRS: HostMount[] = [
  { hostPath: '/var/log/pods', type: 'Directory', why: "kube-apiserver container logs (the kubelet's /var/log/pods)" },
  { hostPath: '/var/log/containers', type: 'Directory', why: 'links to the container logs' },
];

const FILE_TYPES = new Set(['File', 'FileOrCreate', 'Socket', 'CharDevice', 'BlockDevice']);
const FILE_NAME = /\.(ya?ml|json|conf|cfg|pem|crt|key|csv|log|kubeconfig)$/;

const norm = (p: string) => path.posix.normalize('/' + p).replace(/(.)\/$/, '$1');
const under = (p: string, dir: string) => dir === '/' || p === dir || p.startsWith(dir + '/');
const kernel = (p: string) => KERNEL.some((k) => under(p, k));

/** A file is mounted through its directory when that is narrow enough, else on its own. */
function forFile(file: string, why: string): HostMount {
  const dir = path.posix.dirname(file);
  return BROAD.has(dir) ? { hostPath: file, type: 'File', why } : { hostPath: dir, type: 'Directory', why };
}

export function planMounts(apiserver: ApiserverPod | null): MountPlan {
  const wanted: HostMount[] = [];
  const left: MountPlan['left'] = [];
  const config = apiserver?.config ?? null;
  if (config) {
    wanted.push({
      hostPath: manifestsDirOf(config.distribution),
      type: 'Directory',
      why: 'the static-pod manifests (apiserver manifest, stray copies)',
    });
    if (config.distribution === 'kubeadm')
      wanted.push({ hostPath: '/var/lib/kubelet/config.yaml', type: 'File', why: "the kubelet's staticPodPath" });
    for (const v of config.volumes) {
      if (v.hostPath === null) continue;
      const p = norm(v.hostPath);
      const why = `the apiserver's hostPath volume "${v.name}"`;
      if (kernel(p)) left.push({ hostPath: p, reason: `${why}: a kernel filesystem, not read by the doctor` });
      else if (FILE_TYPES.has(v.hostPathType) || (v.hostPathType === '' && FILE_NAME.test(p))) wanted.push(forFile(p, why));
      else if (BROAD.has(p)) left.push({ hostPath: p, reason: `${why}: ${TOO_BROAD}` });
      else wanted.push({ hostPath: p, type: 'Directory', why });
    }
    for (const a of apiserver!.auditPaths) {
      if (a.hostPath !== null && !kernel(norm(a.hostPath))) wanted.push(forFile(norm(a.hostPath), `${a.origin} (${a.role})`));
    }
  } else {
    wanted.push(...DISCOVERY_DIRS);
  }
  wanted.push(...LOG_DIRS);
  return { mounts: withoutNested(wanted), left };
}

/** One mount per path, none beneath a directory already mounted, sorted so the pod spec is stable. */
function withoutNested(mounts: HostMount[]): HostMount[] {
  const byPath = new Map<string, HostMount>();
  for (const m of mounts) if (!byPath.has(m.hostPath)) byPath.set(m.hostPath, m);
  const dirs = [...byPath.values()].filter((m) => m.type === 'Directory').map((m) => m.hostPath);
  return [...byPath.values()]
    .filter((m) => !dirs.some((d) => d !== m.hostPath && under(m.hostPath, d)))
    .sort((a, b) => a.hostPath.localeCompare(b.hostPath));
}

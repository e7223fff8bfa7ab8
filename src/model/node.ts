// Plain-JSON shapes of what is read from the node's files: the apiserver configuration (flags,
// mounts, volumes), parsed YAML files, host file status and the audit paths. Parsers produce these.

/** Where `fix --apply` keeps what it replaced (<time>/<host path>): fixes write there, the orphan
 * collector reads it back. Outside the static-pod directory: the kubelet loads every file in that. */
export const BACKUP_DIR = '/var/backups/prisma-audit';

export type Distribution = 'kubeadm' | 'kops' | 'rke2' | 'k3s' | 'microk8s' | 'openshift' | 'unknown';

/** How the apiserver runs: a static pod (paths are container paths), a host process (k3s,
 * MicroK8s: paths are host paths) or managed by an operator (OpenShift: flags are not ours). */
export type ApiserverMode = 'static-pod' | 'host-process' | 'operator-managed';

export interface Flag {
  name: string;
  /** null for a bare boolean flag such as `--audit-dynamic-configuration`. */
  value: string | null;
  /** 1-based line in the source file, when known. */
  line: number | null;
  source: 'command' | 'args' | 'shell' | 'config' | 'args-file';
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly: boolean;
  subPath: string | null;
  line: number | null;
}

export interface Volume {
  name: string;
  /** hostPath.path, or null when the volume is not a hostPath (configMap, emptyDir ...). */
  hostPath: string | null;
  /** hostPath.type as written ('' when absent). */
  hostPathType: string;
  /** For non-hostPath volumes: which kind it is. */
  otherKind: string | null;
  line: number | null;
}

export interface EnvVar {
  name: string;
  value: string | null;
}

export interface ApiserverConfig {
  distribution: Distribution;
  mode: ApiserverMode;
  /** Host path (as seen on the node, without --root) of the file the flags came from. */
  file: string;
  /** Raw text of that file (capped), kept for fixes and bundles. */
  text: string;
  /** Every path probed during discovery, in order. */
  tried: string[];
  /** Other apiserver configurations found besides the one used. */
  others: string[];
  containerName: string | null;
  image: string | null;
  /** e.g. "1.28.2", from the image tag or --kubernetes-version; null when unknown. */
  kubernetesVersion: string | null;
  /** --upgrade-to: the version judged (also in kubernetesVersion), and the one running now. */
  upgradeTo?: string | null;
  upgradeFrom?: string | null;
  flags: Flag[];
  mounts: VolumeMount[];
  volumes: Volume[];
  env: EnvVar[];
  /** Where the durable form of this configuration lives (kubeadm-config, RKE2 config.yaml ...). */
  durableSource: string | null;
  notes: string[];
}

export interface YamlProblem {
  message: string;
  line: number | null;
  col: number | null;
}

/** A YAML file read from the node and parsed once. */
export interface ParsedFile {
  /** Host path without --root. */
  path: string;
  /** The path the apiserver uses (container path for a static pod). */
  containerPath: string;
  size: number;
  text: string;
  /** The parsed value (first document), or null when it did not parse. */
  value: unknown;
  /** Fatal parse problem, as the apiserver would see it. */
  error: YamlProblem | null;
  /** Number of YAML documents in the file. */
  documents: number;
  /** Dotted path ("rules.0.level") -> 1-based line, for evidence. */
  lines: Record<string, number>;
}

export type HostKind = 'file' | 'directory' | 'other' | 'missing';

export interface HostStat {
  kind: HostKind;
  size: number | null;
  /** Could the current user open it for reading? null when not attempted. */
  readable: boolean | null;
  /** Resolved host path (symlinks followed inside --root), when different. */
  resolved: string | null;
  error: { code: string; message: string } | null;
}

export type AuditPathRole = 'policy' | 'webhook-config' | 'log' | 'webhook-ca';

export interface MountMapping {
  mountName: string;
  mountPath: string;
  readOnly: boolean;
  subPath: string | null;
  mountLine: number | null;
  /** null when no volume of that name exists. */
  volume: Volume | null;
}

/** A path walked inside the apiserver container (facts/container-path.ts). */
export interface ContainerResolution {
  containerPath: string;
  /** Where the walk ended: a regular file, a directory, ... or why it could not go on: no volumeMount
   * covers a component (`unmounted`), the mount is not a hostPath, names no volume, the kubelet refuses the
   * volume, a subPath leaves its volume (`escape`), too many links (`loop`). */
  kind: 'file' | 'directory' | 'other' | 'missing' | 'unmounted' | 'not-hostpath' | 'no-volume' | 'refused' | 'escape' | 'loop' | 'error';
  /** The container path reached with every link followed (what the apiserver really opens). */
  resolvedPath: string;
  /** The container path where the walk broke; null when it did not. */
  brokenAt: string | null;
  /** Each symlink met, in order: "<container path> -> <target> (how it was read; host path)". */
  chain: string[];
  /** The mount that covers the path as written (before any link). */
  first: MountMapping | null;
  /** The mount holding the end of the walk, and the node path behind it. */
  mapping: MountMapping | null;
  hostPath: string | null;
  host: HostStat | null;
  problem: string | null;
}

/** One path the audit setup references, mapped from the container to the host. */
export interface AuditPath {
  role: AuditPathRole;
  /** The flag (or kubeconfig field) that names it. */
  origin: string;
  originLine: number | null;
  originFile: string;
  containerPath: string;
  /** The covering volumeMount, null when none covers the path (static pod only). */
  mapping: MountMapping | null;
  /** Host path the apiserver will read; for an unmapped path, the same path (assumed); null when
   * the covering volume is not a hostPath (configMap, emptyDir ...). */
  hostPath: string | null;
  hostPathAssumed: boolean;
  host: HostStat | null;
  /** For the log: the directory that must exist. */
  hostDir: HostStat | null;
  /** The path walked inside the container, links read as the container reads them (static pods on the
   * node; absent in cluster mode, where the node's disk is not read). */
  container?: ContainerResolution;
}

/** What the node has at one hostPath the apiserver pod mounts (links followed on the host). */
export interface VolumeHost {
  name: string;
  hostPath: string;
  stat: HostStat;
  /** The parent directory: FileOrCreate creates the file but not its directory. */
  parent: HostStat;
}

/** A regular file of the static-pod directory, decoded as the kubelet decodes it. */
export interface StaticPodFile {
  /** namespace/name: the kubelet keeps one pod per key, the last file in sorted order. */
  key: string | null;
  /** The reason in "couldn't parse as pod(...)", when it is not a pod. */
  parseError: string | null;
  /** For a kube-apiserver pod: the --secure-port it binds. */
  apiserverPort: string | null;
}

export interface ManifestsDirEntry {
  name: string;
  kind: HostKind;
  size: number | null;
  /** Regular files only (links followed, as os.Stat does); absent in recordings from before. */
  pod?: StaticPodFile | null;
  /** Byte-identical to the apiserver manifest. */
  identical?: boolean;
}

export interface ManifestsDir {
  dir: string;
  entries: ManifestsDirEntry[];
  /** Regular files past the read limit, listed but not read (a flooded directory); absent when 0. */
  unread?: number;
}

export type OrphanRole = 'policy' | 'webhook-config';

/** An audit file found on the node, judged by its contents (never kept: it holds the URL suffix). */
export interface AuditOrphan {
  role: OrphanRole;
  /** Host path (without --root). */
  hostPath: string;
  /** Where it was found: "found in /etc/kubernetes/audit", "backup 20261127-085445 of /etc/...",
   * "named by /etc/rancher/rke2/config.yaml". */
  foundBy: string;
  /** For a webhook kubeconfig, the host it posts to (never the suffix); for a policy, its version. */
  detail: string;
  sha256: string;
  size: number;
  /** A current flag names it: in use, not an orphan. */
  referenced: boolean;
  /** Other host paths holding the same bytes (backups of it). */
  copies: string[];
}

export interface AuditOrphans {
  candidates: AuditOrphan[];
  /** Where it looked, for the report. */
  looked: string[];
}

/** Which machine the facts come from (hostname, sha256 prefix of /etc/machine-id). */
export interface NodeIdentity {
  hostname: string | null;
  machineId: string | null;
}

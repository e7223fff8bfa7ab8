// Plain-JSON shapes of what is read from the node's files: the apiserver configuration (flags,
// mounts, volumes), parsed YAML files, host file status and the audit paths. Parsers produce these.

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
}

export interface ManifestsDirEntry {
  name: string;
  kind: HostKind;
  size: number | null;
}

export interface ManifestsDir {
  dir: string;
  entries: ManifestsDirEntry[];
}

// Plain-JSON shapes of what cluster mode gathers through the Kubernetes API and the Prisma console.
import type { Fact } from './report.js';
import type { ApiserverConfig, AuditPath } from './node.js';
import type { CandidateLines } from './logs.js';

export interface KubeApiInfo {
  server: string;
  context: string | null;
  source: string;
  /** gitVersion from GET /version, e.g. "v1.28.3-eks-4f4795d"; null when it was refused. */
  gitVersion: string | null;
}

/** One kube-apiserver pod (the mirror pod of a static pod), read from the API. */
export interface ApiserverPod {
  pod: string;
  node: string;
  phase: string | null;
  restartCount: number | null;
  /** Why the last container attempt ended (Error, OOMKilled ...), when it did. */
  lastTermination: string | null;
  /** Flags, mounts and volumes of the pod spec; null when the spec has no apiserver container. */
  config: ApiserverConfig | null;
  /** The audit paths mapped through the pod's mounts; host facts are unknown from the API. */
  auditPaths: AuditPath[];
  /** Why config is null. */
  error: string | null;
}

export interface ClusterApiservers {
  /** How the pods were found, for evidence. */
  selector: string;
  pods: ApiserverPod[];
}

export interface ContainerLogRead {
  /** current or previous container attempt. */
  attempt: 'current' | 'previous';
  /** null when it could not be read; reason says why (no previous attempt, RBAC ...). */
  bytes: number | null;
  truncated: boolean;
  reason: string | null;
  /** The log's candidate lines (none when it was not read), judged by the apiserver-logs check. */
  log: CandidateLines;
}

export interface ApiserverPodLogs {
  pod: string;
  node: string;
  reads: ContainerLogRead[];
}

export interface AuditCounters {
  /** Sum of apiserver_audit_event_total; null when the metric is absent. */
  events: number | null;
  /** apiserver_audit_error_total{plugin="webhook"}; 0 when the series has not appeared yet. */
  webhookErrors: number | null;
  /** apiserver_audit_error_total{plugin="buffered"}: events dropped because the buffer was full. */
  bufferedErrors?: number | null;
  /** apiserver_audit_requests_rejected_total: requests refused because auditing failed. */
  rejected?: number | null;
}

export interface CanaryRun {
  namespace: string;
  configMap: string;
  waitedMs: number;
  before: AuditCounters;
  after: AuditCounters;
  /** Set when the canary could not run to the end (namespace missing, RBAC ...). */
  problem: string | null;
}

export interface AuditMetrics {
  counters: AuditCounters;
  /** null when --canary was not given. */
  canary: CanaryRun | null;
  /** Which apiserver answered is up to the load balancer; true when several pods exist. */
  severalApiservers: boolean;
  /** --sample SECONDS: the counters read over that window (first read first); null without it. */
  samples?: { atMs: number; counters: AuditCounters }[] | null;
}

export interface KubeadmAuditArgs {
  /** apiVersion of the ClusterConfiguration (kubeadm.k8s.io/v1beta3 ...). */
  apiVersion: string | null;
  /** extraArgs as flag name -> value (map form up to v1beta3, list of {name,value} in v1beta4). */
  extraArgs: Record<string, string>;
  extraVolumes: { name: string; hostPath: string; mountPath: string }[];
}

export interface KubeadmConfig {
  /** null when kube-system/kubeadm-config does not exist (not a kubeadm cluster). */
  config: KubeadmAuditArgs | null;
  parseError: string | null;
}

export type ManagedProvider = 'eks' | 'gke' | 'aks' | 'openshift';

export interface ManagedControlPlane {
  provider: ManagedProvider | null;
  /** Every signal seen, whether or not it decided the provider. */
  signals: string[];
}

export interface PrismaSettings {
  console: string;
  /** webhookUrlSuffix as the console returned it; '' when the settings are empty. */
  webhookUrlSuffix: string;
}

export interface ClusterFacts {
  kubeApi: Fact<KubeApiInfo>;
  clusterApiservers: Fact<ClusterApiservers>;
  apiserverPodLogs: Fact<ApiserverPodLogs[]>;
  auditMetrics: Fact<AuditMetrics>;
  kubeadmConfig: Fact<KubeadmConfig>;
  managedControlPlane: Fact<ManagedControlPlane>;
  prismaSettings: Fact<PrismaSettings>;
}

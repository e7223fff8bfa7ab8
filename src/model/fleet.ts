// Plain-JSON shapes of fleet mode: the control-plane nodes found, the pod planned for each, what
// became of it, and the combined report.
import type { CheckResult, Report, Status, Summary } from './report.js';

export interface Taint {
  key: string;
  value: string | null;
  effect: string;
}

/** A node fleet mode checks, and why it counts as control plane. */
export interface ControlPlaneNode {
  name: string;
  /** "runs kube-apiserver pod kube-apiserver-cp1", "labelled node-role.kubernetes.io/control-plane" … */
  why: string[];
  taints: Taint[];
  /** The Ready condition as the Node object shows it ("True", "False", "Unknown"), null without one. */
  ready: string | null;
  /** false when an apiserver pod names a node that has no Node object. */
  hasNodeObject: boolean;
}

/** One read-only hostPath mounted under /host. */
export interface HostMount {
  /** Path on the node; mounted at /host<hostPath>. */
  hostPath: string;
  type: 'Directory' | 'File';
  /** Why the doctor needs it. */
  why: string;
}

export interface MountPlan {
  mounts: HostMount[];
  /** Host paths deliberately not mounted, and why (too broad, a hostPath of the host's root …). */
  left: { hostPath: string; reason: string }[];
}

/** What became of one node's pod. */
export type NodeRun = { outcome: 'checked'; report: Report } | { outcome: 'unknown'; reason: string; evidence: string[] };

export interface FleetNodeResult {
  /** The kubeconfig context, with --contexts; null for a single cluster. */
  cluster: string | null;
  node: string;
  pod: string | null;
  outcome: 'checked' | 'unknown';
  /** Why the node could not be checked (null when checked). */
  reason: string | null;
  evidence: string[];
  /** Host paths mounted, and those dropped because the node does not have them. */
  mounted: string[];
  notMounted: { hostPath: string; reason: string }[];
  report: Report | null;
  durationMs: number;
}

export interface FleetReport {
  schemaVersion: 1;
  kind: 'fleet';
  tool: { name: string; version: string };
  /** One entry per cluster (kubeconfig context) that was asked for. */
  clusters: { context: string | null; server: string | null; nodes: number; problem: string | null }[];
  nodes: FleetNodeResult[];
  /** The node × check matrix: check id -> status per node key ("cluster/node" or "node"). */
  matrix: { check: string; statuses: Record<string, Status | null> }[];
  /** Fleet-level findings: disagreement between nodes, nodes that could not be checked. */
  findings: CheckResult[];
  summary: Summary & { nodes: number; checked: number };
}

/** How a node is named in the matrix and findings: "context/node" across clusters, else "node". */
export const nodeKey = (n: Pick<FleetNodeResult, 'cluster' | 'node'>): string => (n.cluster ? `${n.cluster}/${n.node}` : n.node);

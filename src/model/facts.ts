// Plain-JSON shapes of everything the collectors gather. Checks read only these.
import type { Fact } from './report.js';
import type { ClusterFacts } from './cluster.js';
import type { ProbeResult } from './probe.js';
import type { NodeLogs } from './logs.js';
import type { ApiserverConfig, AuditPath, EnvVar, ManifestsDir, ParsedFile } from './node.js';

/** Where the webhook client's trust anchors come from: exactly one of these, as in client-go. */
export interface WebhookTrust {
  source: 'ca-data' | 'ca-file' | 'system';
  /** The kubeconfig field, the CA file's host path, or the system bundle read. */
  origin: string;
  /** Every certificate found there, PEM; each one is a Go trust anchor. */
  anchors: string[];
  /** Why the anchors are unusable (unreadable file, bad base64, no PEM); null when fine. */
  problem: string | null;
}

/** One live look at the webhook endpoint: the chain it presents and the reachability ladder.
 * Shared by webhook-tls-chain and webhook-reachable so the network is touched once per run. */
export interface WebhookProbe {
  /** Host path of the webhook kubeconfig, and the dotted path of the cluster entry used
   * (`clusters.0.cluster`, the key of ParsedFile.lines). */
  kubeconfigFile: string;
  clusterField: string;
  /** 1-based lines of that cluster entry's fields (dotted path -> line), for evidence. */
  lines: Record<string, number>;
  /** server: as written, and the URL the apiserver POSTs to (query dropped; ?timeout=30s when
   * client-go builds its own transport). */
  server: string;
  url: string;
  scheme: 'https' | 'http';
  host: string;
  port: number;
  /** The name Go verifies (and sends as SNI unless it is an IP): tls-server-name, else host. */
  serverName: string;
  insecureSkipTLSVerify: boolean;
  /** From the apiserver fact: decides Go-version-dependent rules (SHA-1 signatures). */
  kubernetesVersion: string | null;
  trust: WebhookTrust;
  /** Proxy settings the apiserver's client would honour; the probe itself connects directly. */
  proxy: { env: EnvVar[]; kubeconfigProxyUrl: string | null };
  probe: ProbeResult;
}

export interface Facts extends ClusterFacts {
  apiserver: Fact<ApiserverConfig>;
  manifestsDir: Fact<ManifestsDir>;
  policy: Fact<ParsedFile>;
  webhookConfig: Fact<ParsedFile>;
  auditPaths: Fact<AuditPath[]>;
  webhookProbe: Fact<WebhookProbe>;
  nodeLogs: Fact<NodeLogs>;
}

export type FactKey = keyof Facts;
export type FactValue<K extends FactKey> = Facts[K] extends Fact<infer T> ? T : never;

/** Where checks get their facts: gathered live (facts/gather.ts) or served from a recording. */
export interface FactSource {
  fact<K extends FactKey>(key: K): Promise<Facts[K]>;
}

// Every collector, by the fact it gathers. facts/ gathers: it may import io and the pure libraries
// (model, parse, kube, tls, logs, redact), never checks, fixes or anything above (layers.json).
import type { Collector } from './collector.js';
import type { FactKey } from '../model/facts.js';
import { apiserverCollector } from './node/apiserver.js';
import { auditPathsCollector, policyCollector, webhookConfigCollector } from './node/audit-files.js';
import { manifestsDirCollector } from './node/manifests-dir.js';
import { webhookProbeCollector } from './node/webhook-probe.js';
import { nodeLogsCollector } from './node/node-logs.js';
import { auditOrphansCollector } from './node/orphans.js';
import { nodeIdentityCollector } from './node/node-identity.js';
import { CLUSTER_COLLECTORS } from './cluster/collectors.js';
import { skipOnManagedControlPlane } from './cluster/node-checks-on-managed.js';
import { volumeHostsCollector } from './node/pod-volumes.js';

export const COLLECTORS: { [K in FactKey]: Collector<K> } = {
  apiserver: skipOnManagedControlPlane(apiserverCollector),
  manifestsDir: manifestsDirCollector,
  policy: policyCollector,
  webhookConfig: webhookConfigCollector,
  auditPaths: auditPathsCollector,
  volumeHosts: volumeHostsCollector,
  webhookProbe: webhookProbeCollector,
  nodeLogs: nodeLogsCollector,
  auditOrphans: auditOrphansCollector,
  nodeIdentity: nodeIdentityCollector,
  ...CLUSTER_COLLECTORS,
};

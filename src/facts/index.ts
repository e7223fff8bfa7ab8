// Every collector, by the fact it gathers.
import type { Collector } from './collector.js';
import type { FactKey } from '../model/facts.js';
import { apiserverCollector } from './node/apiserver.js';
import { auditPathsCollector, policyCollector, webhookConfigCollector } from './node/audit-files.js';
import { manifestsDirCollector } from './node/manifests-dir.js';
import { webhookProbeCollector } from './node/webhook-probe.js';
import { nodeLogsCollector } from './node/node-logs.js';
import { CLUSTER_COLLECTORS } from './cluster/collectors.js';
import { skipOnManagedControlPlane } from './cluster/node-checks-on-managed.js';

export const COLLECTORS: { [K in FactKey]: Collector<K> } = {
  apiserver: skipOnManagedControlPlane(apiserverCollector),
  manifestsDir: manifestsDirCollector,
  policy: policyCollector,
  webhookConfig: webhookConfigCollector,
  auditPaths: auditPathsCollector,
  webhookProbe: webhookProbeCollector,
  nodeLogs: nodeLogsCollector,
  ...CLUSTER_COLLECTORS,
};

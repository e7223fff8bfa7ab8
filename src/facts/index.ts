// Every collector, by the fact it gathers.
import type { Collector } from './collector.js';
import type { FactKey } from './types.js';
import { apiserverCollector } from './apiserver.js';
import { auditPathsCollector, policyCollector, webhookConfigCollector } from './audit-files.js';
import { manifestsDirCollector } from './manifests-dir.js';
import { webhookProbeCollector } from './webhook-probe.js';
import { nodeLogsCollector } from './node-logs.js';
import { auditOrphansCollector } from './orphans.js';
import { nodeIdentityCollector } from './node-identity.js';
import { CLUSTER_COLLECTORS } from '../cluster/collectors.js';
import { skipOnManagedControlPlane } from '../cluster/node-checks-on-managed.js';

export const COLLECTORS: { [K in FactKey]: Collector<K> } = {
  apiserver: skipOnManagedControlPlane(apiserverCollector),
  manifestsDir: manifestsDirCollector,
  policy: policyCollector,
  webhookConfig: webhookConfigCollector,
  auditPaths: auditPathsCollector,
  webhookProbe: webhookProbeCollector,
  nodeLogs: nodeLogsCollector,
  auditOrphans: auditOrphansCollector,
  nodeIdentity: nodeIdentityCollector,
  ...CLUSTER_COLLECTORS,
};

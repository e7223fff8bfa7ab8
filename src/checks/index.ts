// The catalogue: every check, in the order they are shown. checks/ judges: it may import model and the
// pure libraries (parse, kube, tls, logs), never facts, io or fixes (layers.json).
import type { Check } from './check.js';
import { apiserverManifest } from './apiserver-manifest.js';
import { auditPolicyFlag, auditWebhookFlag } from './audit-flags.js';
import { orphanedAuditFiles } from './orphaned-audit-files.js';
import { upgradeRules } from './upgrade-rules.js';
import { auditLogPath } from './audit-log-path.js';
import { dynamicAuditLeftovers } from './dynamic-audit-leftovers.js';
import { auditWebhookMode } from './audit-webhook-mode.js';
import { auditFilesMounted, auditFilesReadable } from './audit-files.js';
import { manifestsDirClean } from './manifests-dir-clean.js';
import { apiserverVolumes } from './apiserver-volumes.js';
import { auditPolicyValid } from './audit-policy-valid.js';
import { auditPolicyCoverage } from './audit-policy-coverage.js';
import { webhookConfigValid } from './webhook-config-valid.js';
import { webhookUrl } from './webhook-url.js';
import { webhookCaData } from './webhook-ca-data.js';
import { webhookTlsChain } from './webhook-tls-chain.js';
import { webhookReachable } from './webhook-reachable.js';
import { nodeLogsCheck } from './node-logs.js';
import { CLUSTER_CHECKS } from './cluster-checks.js';

export const CHECKS: Check[] = [
  apiserverManifest,
  auditPolicyFlag,
  auditWebhookFlag,
  orphanedAuditFiles,
  auditLogPath,
  dynamicAuditLeftovers,
  auditWebhookMode,
  auditFilesMounted,
  auditFilesReadable,
  apiserverVolumes,
  manifestsDirClean,
  auditPolicyValid,
  auditPolicyCoverage,
  webhookConfigValid,
  webhookUrl,
  webhookCaData,
  webhookTlsChain,
  webhookReachable,
  nodeLogsCheck,
  upgradeRules,
  ...CLUSTER_CHECKS,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}

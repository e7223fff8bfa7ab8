// The catalogue: every check, in the order they are shown.
import type { Check } from './check.js';
import { apiserverManifest } from './apiserver-manifest.js';
import { auditPolicyFlag, auditWebhookFlag } from './audit-flags.js';
import { auditLogPath } from './audit-log-path.js';
import { dynamicAuditLeftovers } from './dynamic-audit-leftovers.js';
import { auditWebhookMode } from './audit-webhook-mode.js';
import { auditFilesMounted, auditFilesReadable } from './audit-files.js';
import { manifestsDirClean } from './manifests-dir-clean.js';
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
  auditLogPath,
  dynamicAuditLeftovers,
  auditWebhookMode,
  auditFilesMounted,
  auditFilesReadable,
  manifestsDirClean,
  auditPolicyValid,
  auditPolicyCoverage,
  webhookConfigValid,
  webhookUrl,
  webhookCaData,
  webhookTlsChain,
  webhookReachable,
  nodeLogsCheck,
  ...CLUSTER_CHECKS,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}

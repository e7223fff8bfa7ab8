// The checks' ids, a model type: results, log signatures and the CLI name checks by them.

/** Every check's id, in the catalogue's order (checks/index.ts; test/checks/catalogue.test.ts holds
 * the two equal). Typed ids make a misspelt id, in a check or wherever another module names one, a type
 * error instead of a check that silently never matches. */
export const CHECK_IDS = [
  'apiserver-manifest',
  'audit-policy-flag',
  'audit-webhook-flag',
  'orphaned-audit-files',
  'audit-log-path',
  'dynamic-audit-leftovers',
  'audit-webhook-mode',
  'audit-files-mounted',
  'audit-files-readable',
  'apiserver-volumes',
  'manifests-dir-clean',
  'audit-policy-valid',
  'audit-policy-coverage',
  'webhook-config-valid',
  'webhook-url',
  'webhook-ca-data',
  'webhook-tls-chain',
  'webhook-reachable',
  'node-logs',
  'upgrade-rules',
  'managed-control-plane',
  'control-plane-apiservers',
  'control-plane-consistent',
  'kubeadm-config-durable',
  'apiserver-logs',
  'audit-delivery',
  'audit-capacity',
  'prisma-webhook-url',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export function isCheckId(id: string): id is CheckId {
  return (CHECK_IDS as readonly string[]).includes(id);
}

// The check contract: a stable id, what it reads, and a pure evaluate(facts).
import type { FactError, Finding } from '../model/report.js';
import type { FactKey, Facts, FactValue } from '../model/facts.js';
import type { AuditPathRole } from '../model/node.js';

export type NeededFile = Extract<AuditPathRole, 'policy' | 'webhook-config'>;

/** Every check's id, in the catalogue's order (index.ts; test/checks/catalogue.test.ts holds the two
 * equal). Typed ids make a misspelt id, in a check or wherever another module names one, a type
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

/** Thrown by FactReader.get when a needed fact could not be gathered; the engine turns it into
 * `skip` (not applicable) or `unknown` (could not look). */
export class FactUnavailable extends Error {
  constructor(
    readonly key: FactKey,
    readonly error: FactError,
  ) {
    super(error.message);
  }
}

export interface FactReader {
  /** The fact's value; throws FactUnavailable when it was not gathered. */
  get<K extends FactKey>(key: K): FactValue<K>;
  /** The raw fact, for checks that judge a missing fact themselves. */
  raw<K extends FactKey>(key: K): Facts[K];
  /** The run's notion of "now" (fixed in tests and replays). */
  now: Date;
}

export interface Check {
  id: CheckId;
  title: string;
  /** What it reads, in words, for `prisma-audit checks`. */
  reads: string;
  needs: FactKey[];
  /** True when it needs the network (skipped with --offline). */
  network?: boolean;
  /** True when it judges what the running kube-apiserver logged: history that no file fix changes
   * until the apiserver restarts, so a fix planner treats it as "restart to confirm", and it cannot
   * be judged on a copy of the node. */
  fromLogs?: boolean;
  /** The audit file this check cannot pass without (the one its flag names): while no fix can
   * write that file, a fix planner leaves the check failing instead of blaming the flag's fix. */
  needsFile?: NeededFile;
  explain: { why: string; detect: string; fix: string };
  evaluate(facts: FactReader): Finding;
}

export function factReader(facts: Partial<Facts>, now: Date): FactReader {
  return {
    now,
    raw<K extends FactKey>(key: K): Facts[K] {
      const fact = facts[key];
      if (!fact) throw new FactUnavailable(key, { reason: 'io', message: `fact ${key} was not gathered` });
      return fact as Facts[K];
    },
    get<K extends FactKey>(key: K): FactValue<K> {
      const fact = this.raw(key);
      if (!fact.ok) throw new FactUnavailable(key, fact.error);
      return fact.value as FactValue<K>;
    },
  };
}

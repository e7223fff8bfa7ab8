// The check contract: a stable id, what it reads, and a pure evaluate(facts).
import type { FactError, Finding } from '../model/report.js';
import type { FactKey, Facts, FactValue } from '../model/facts.js';
import type { AuditPathRole } from '../model/node.js';
import type { CheckId } from '../model/check-ids.js';

export type { CheckId };

export type NeededFile = Extract<AuditPathRole, 'policy' | 'webhook-config'>;

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

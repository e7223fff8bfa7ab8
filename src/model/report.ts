// The contract between gathering, judging and rendering. Everything here is plain JSON so that a
// run can be recorded (support bundle) and replayed (--from-bundle) without a node.

export const STATUSES = ['pass', 'warn', 'fail', 'skip', 'unknown'] as const;
export type Status = (typeof STATUSES)[number];

/** Why a fact could not be gathered. `not-applicable` makes dependent checks `skip`; every other
 * reason makes them `unknown` (never `fail`: the tool could not look). */
export type FactErrorReason =
  | 'not-applicable'
  | 'not-found'
  | 'permission'
  | 'parse'
  | 'too-large'
  | 'timeout'
  | 'offline'
  | 'io'
  | 'unsupported';

export interface FactError {
  reason: FactErrorReason;
  message: string;
  /** What the user can do to let the tool look (run as root, pass --manifest ...). */
  hint?: string;
  /** Supporting lines (paths tried ...), shown as evidence by the check that owns the fact. */
  details?: string[];
}

export type Fact<T> = { ok: true; value: T } | { ok: false; error: FactError };

/** One piece of evidence: what was read, from where; actual vs expected when it is a comparison. */
export interface Evidence {
  message: string;
  file?: string;
  line?: number;
  flag?: string;
  actual?: string;
  expected?: string;
}

export interface Remediation {
  text: string;
  commands?: string[];
  /** Id of a fix generator (`prisma-audit fix --only <id>`) that writes corrected files. */
  fix?: string;
  docs?: string;
}

/** What a check's evaluate() returns. */
export interface Finding {
  status: Status;
  summary: string;
  evidence?: Evidence[];
  remediation?: Remediation;
}

export interface CheckResult {
  id: string;
  title: string;
  status: Status;
  summary: string;
  evidence: Evidence[];
  remediation: { text: string; commands: string[]; fix: string | null; docs?: string } | null;
  durationMs: number;
}

export interface Target {
  root: string;
  manifest: string | null;
  distribution: string | null;
  kubernetesVersion: string | null;
  demo: boolean;
  offline: boolean;
  /** Set when the checks were re-run from a support bundle: the bundle file. */
  bundle?: string;
  /** When the bundle's facts were gathered (ISO 8601); the node was not read again. */
  recordedAt?: string;
}

export interface Summary {
  pass: number;
  warn: number;
  fail: number;
  skip: number;
  unknown: number;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: string; version: string };
  target: Target;
  checks: CheckResult[];
  summary: Summary;
}

/** Progress events, so renderers can show each check as it finishes. */
export type EngineEvent =
  | { type: 'check-start'; id: string; title: string }
  | { type: 'check-done'; result: CheckResult }
  | { type: 'done'; report: Report };

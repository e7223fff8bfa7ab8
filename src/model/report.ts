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
  | 'unsupported'
  /** The run was cancelled (q, Esc, Ctrl-C) before the fact was gathered. */
  | 'interrupted';

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
  /** The audit files (host paths) a failure is about, so that the fix verifier can tell whether a
   * plan writes them without reading the summary. */
  hostPaths?: string[];
}

export interface CheckResult {
  id: string;
  title: string;
  status: Status;
  summary: string;
  evidence: Evidence[];
  remediation: { text: string; commands: string[]; fix: string | null; docs?: string } | null;
  durationMs: number;
  hostPaths?: string[];
}

export interface Target {
  root: string;
  manifest: string | null;
  distribution: string | null;
  kubernetesVersion: string | null;
  /** --upgrade-to: the version the checks judged as (kubernetesVersion is the running one). */
  upgradeTo?: string;
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

/** What the audit configuration was when the report was made, comparable across runs
 * (`doctor --compare`): the audit flags and hashes of the files they name, after redaction, so a
 * rotated webhook suffix alone is not a change and no secret is in the report. */
export interface Fingerprint {
  takenAt: string;
  node: { hostname: string | null; machineId: string | null; manifest: string | null };
  /** The Kubernetes API server (cluster mode), else null. */
  cluster: string | null;
  /** --audit-* flags, --feature-gates and --runtime-config as the apiserver reads them (last wins). */
  flags: Record<string, string>;
  /** The audit policy and webhook kubeconfig: host path and sha256 of the redacted text (null: unreadable). */
  files: { role: 'policy' | 'webhook-config'; path: string; sha256: string | null }[];
}

/** One check whose status differs between the earlier report and this one. */
export interface StatusChange {
  id: string;
  title: string;
  before: Status;
  now: Status;
  summary: string;
}

export interface ConfigChange {
  kind: 'flag' | 'file';
  name: string;
  before: string | null;
  now: string | null;
}

/** `doctor --compare`: this run against an earlier report of the same node. */
export interface Comparison {
  /** The earlier report (file) and when its fingerprint was taken. */
  against: string;
  takenAt: string | null;
  /** Passed (or warned) before, fails now: the reason for exit 3. */
  regressions: StatusChange[];
  /** Failed before, passes (or warns) now. */
  fixes: StatusChange[];
  /** Every other status change. */
  changed: StatusChange[];
  config: ConfigChange[];
  /** --force was needed: the reports are from different nodes or clusters. */
  forced: string | null;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: string; version: string };
  target: Target;
  checks: CheckResult[];
  summary: Summary;
  /** Set when the target could not be checked at all (exit 5): why, e.g. no apiserver found. */
  notChecked?: string;
  /** Set when the run was cancelled before every check finished. */
  interrupted?: true;
  fingerprint?: Fingerprint;
  comparison?: Comparison;
}

/** Progress events, so renderers can show each check as it finishes. */
export type EngineEvent =
  | { type: 'check-start'; id: string; title: string }
  | { type: 'check-done'; result: CheckResult }
  | { type: 'done'; report: Report }
  | { type: 'gathering' | 'gathered'; key: string };

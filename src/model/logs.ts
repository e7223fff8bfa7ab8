// Plain-JSON shapes of what the node-log scan finds. The nodeLogs fact is made of these.

/** How a log's lines are prefixed; detected per file or stream. `plain` covers raw apiserver stderr
 * (klog lines and cobra `Error:` lines) and anything unrecognised. */
export type LogFormat = 'cri' | 'journal-iso' | 'journal-short' | 'plain';

/** fatal: the apiserver does not start; error: audit events are lost; warning: works, but not for long. */
export type Severity = 'fatal' | 'error' | 'warning';

/** One entry of the signature catalogue: a known log line and what it means for the audit webhook. */
export interface Signature {
  id: string;
  /** Literal texts the raw-byte prefilter searches for; every line the pattern matches contains one. */
  anchors: string[];
  /** Written as POSIX ERE as well as a JS RegExp, so `grep -E` can run the same catalogue. */
  pattern: RegExp;
  meaning: string;
  /** The check that finds the cause in the configuration. */
  implicates: string;
  fix: string;
  severity: Severity;
  /** Reported for a line only when no specific signature matched it. */
  generic?: boolean;
}

export type LogSourceKind = 'journal' | 'crictl' | 'pod-log' | 'container-log' | 'log-file';
export type LogSourceState = 'used' | 'not-available' | 'not-permitted';

export interface LogSourceReport {
  /** What was read: a command line or a host path (without --root). */
  name: string;
  kind: LogSourceKind;
  state: LogSourceState;
  /** Why it was not used, or a note on how it was used (truncated, no entries). */
  reason: string | null;
  format: LogFormat | null;
  bytes: number;
}

/** One signature as found in one source. */
export interface LogHit {
  signature: string;
  source: string;
  count: number;
  /** ISO times; null when the lines carry no time. */
  firstSeen: string | null;
  lastSeen: string | null;
  /** The first matching line, capped, with the webhook URL suffix and tokens masked. */
  sample: string;
  meaning: string;
  implicates: string;
  fix: string;
  severity: Severity;
}

export interface ApiserverStart {
  at: string;
  /** How the start was recognised (crictl created time, first line of N.log, a startup line). */
  evidence: string;
}

/** What `crictl ps -a` / `crictl inspect` say about the newest kube-apiserver container. */
export interface ApiserverContainer {
  id: string;
  attempt: number;
  state: string;
  exitCode: number | null;
  createdAt: string | null;
}

export interface NodeLogs {
  sources: LogSourceReport[];
  hits: LogHit[];
  latestStart: ApiserverStart | null;
  container: ApiserverContainer | null;
}

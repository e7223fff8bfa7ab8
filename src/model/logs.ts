// Plain-JSON shapes of the log facts (the lines the scan kept) and of what the checks find in them.
import type { CheckId } from './check-ids.js';

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
  implicates: CheckId;
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

/** A line the raw-byte prefilter picked out: the evidence a log fact keeps, judged later by the
 * checks with the signature catalogue of the day (a bundle is re-judged by a newer one). */
export interface CandidateLine {
  /** Byte offset of the line in its file or command output (stdout and stderr count apart). */
  offset: number;
  /** ISO time of the line, or of the line before it when it has none (cobra's `Error:` line). */
  time: string | null;
  /** The prefilter literal that picked the line (the first one on it). */
  hit: string;
  /** The line as written (CRI `P` fragments joined), capped, secrets masked. */
  text: string;
}

/** A source's candidate lines, bounded: which were left out is counted, never silently lost. */
export interface CandidateLines {
  format: LogFormat | null;
  /** Oldest first. */
  lines: CandidateLine[];
  /** Candidate lines not kept (older ones first, each prefilter literal keeping its first and newest). */
  omitted: number;
}

export interface LogSource extends LogSourceReport, CandidateLines {
  /** Starts known from outside the text: crictl's created time, the first line of a pods N.log. */
  starts: ApiserverStart[];
}

/** One signature as found in one source: what the checks make of the candidate lines. */
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
  implicates: CheckId;
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
  sources: LogSource[];
  container: ApiserverContainer | null;
}

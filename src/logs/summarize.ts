// Turns what each log source yielded into the nodeLogs fact: one hit per signature and source, and
// the apiserver's latest start, so the check can tell current errors from history. Pure.
import type { ScanResult } from './scan.js';
import { SIGNATURES } from './signatures.js';
import type { ApiserverContainer, ApiserverStart, LogHit, LogSourceReport, NodeLogs } from '../model/logs.js';

export interface StartClue {
  at: number;
  evidence: string;
}

export interface SourceScan {
  report: LogSourceReport;
  /** null when the source could not be read. */
  scan: ScanResult | null;
  /** Starts known from outside the text: crictl's created time, the first line of N.log. */
  starts: StartClue[];
}

const BY_ID = new Map(SIGNATURES.map((s) => [s.id, s]));
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function summarizeNodeLogs(sources: SourceScan[], container: ApiserverContainer | null): NodeLogs {
  const hits: LogHit[] = [];
  for (const { report, scan } of sources) {
    for (const [id, seen] of scan?.counts ?? []) {
      const signature = BY_ID.get(id)!;
      hits.push({
        signature: id,
        source: report.name,
        count: seen.count,
        firstSeen: iso(seen.first),
        lastSeen: iso(seen.last),
        sample: seen.sample,
        meaning: signature.meaning,
        implicates: signature.implicates,
        fix: signature.fix,
        severity: signature.severity,
      });
    }
  }
  return { sources: sources.map((s) => s.report), hits, latestStart: latestStart(sources), container };
}

function latestStart(sources: SourceScan[]): ApiserverStart | null {
  const clues = sources.flatMap(({ report, scan, starts }) =>
    scan?.lastStart != null ? [...starts, { at: scan.lastStart, evidence: `apiserver startup line in ${report.name}` }] : starts,
  );
  const newest = clues.reduce<StartClue | null>((best, clue) => (best === null || clue.at > best.at ? clue : best), null);
  return newest ? { at: new Date(newest.at).toISOString(), evidence: newest.evidence } : null;
}

// Judges kept candidate lines with the signature catalogue: which signatures each source shows, how
// often and when, and the apiserver's latest start, so a check can tell current errors from history.
// Pure, and the catalogue is a parameter: the lines in an old bundle judged by today's catalogue give
// today's verdict.
import { TEXT_CAP } from './keep.js';
import { lineMessage } from './line-format.js';
import { matchSignatures } from './match.js';
import { SIGNATURES, START_MARKER } from './signatures.js';
import type { ApiserverStart, CandidateLines, LogHit, NodeLogs, Signature } from '../model/logs.js';

const SAMPLE_CAP = 2000;

export interface SignatureCount {
  count: number;
  first: number | null;
  last: number | null;
  /** The first matching line, capped (masked since it was kept). */
  sample: string;
}

const timeOf = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const earliest = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const latest = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/** Each line's message (its text after the prefix its source's format puts there) with its time.
 * Capped again as the scan caps it: a bundle's lines come from elsewhere, and one planted long line
 * must not make the patterns' `.*` cost O(length²). */
function messages(source: CandidateLines): { message: string; time: number | null; text: string }[] {
  return source.lines.map((line) => {
    const text = line.text.length > TEXT_CAP ? line.text.slice(0, TEXT_CAP) : line.text;
    return { message: lineMessage(source.format ?? 'plain', text), time: timeOf(line.time), text };
  });
}

/** Each signature the lines match, by id in order of first sighting. */
export function countSignatures(source: CandidateLines, catalogue: readonly Signature[] = SIGNATURES): Map<string, SignatureCount> {
  const counts = new Map<string, SignatureCount>();
  for (const { message, time, text } of messages(source)) {
    for (const { id } of matchSignatures(message, catalogue)) {
      const seen = counts.get(id);
      if (!seen) counts.set(id, { count: 1, first: time, last: time, sample: text.slice(0, SAMPLE_CAP) });
      else {
        seen.count++;
        seen.first = earliest(seen.first, time);
        seen.last = latest(seen.last, time);
      }
    }
  }
  return counts;
}

/** Time of the newest apiserver startup line. */
export function lastStartLine(source: CandidateLines): number | null {
  return messages(source)
    .filter(({ message }) => START_MARKER.pattern.test(message))
    .reduce<number | null>((newest, { time }) => latest(newest, time), null);
}

/** One hit per signature found in a source, as the checks report them. */
export function sourceHits(name: string, source: CandidateLines, catalogue: readonly Signature[] = SIGNATURES): LogHit[] {
  const byId = new Map(catalogue.map((s) => [s.id, s]));
  return [...countSignatures(source, catalogue)].map(([id, seen]) => {
    const signature = byId.get(id)!;
    return {
      signature: id,
      source: name,
      count: seen.count,
      firstSeen: iso(seen.first),
      lastSeen: iso(seen.last),
      sample: seen.sample,
      meaning: signature.meaning,
      implicates: signature.implicates,
      fix: signature.fix,
      severity: signature.severity,
    };
  });
}

/** Says that counts and times cover the kept lines only (keep.ts chose which). */
export const notKept = (omitted: number): string =>
  `${omitted} candidate line(s) not kept: counts and times cover the first and newest per prefilter literal`;

export interface NodeLogsJudged {
  hits: LogHit[];
  latestStart: ApiserverStart | null;
}

/** The node's log sources judged together: every hit, and the apiserver's latest start from the
 * startup lines and the clues from outside the text (crictl's created time, a pods N.log). */
export function judgeNodeLogs(logs: NodeLogs, catalogue: readonly Signature[] = SIGNATURES): NodeLogsJudged {
  const hits = logs.sources.flatMap((source) => sourceHits(source.name, source, catalogue));
  const clues = logs.sources.flatMap((source) => {
    const line = lastStartLine(source);
    const starts = source.starts.map((s) => ({ at: Date.parse(s.at), evidence: s.evidence }));
    return line === null ? starts : [...starts, { at: line, evidence: `apiserver startup line in ${source.name}` }];
  });
  const newest = clues.reduce<(typeof clues)[number] | null>((best, clue) => (best === null || clue.at > best.at ? clue : best), null);
  return { hits, latestStart: newest ? { at: new Date(newest.at).toISOString(), evidence: newest.evidence } : null };
}

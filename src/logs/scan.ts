// Streams a log through the signature catalogue without ever holding it whole. Raw chunks are
// searched once for the catalogue's literal anchors (no decoding); only the lines holding one are
// decoded and matched with the full patterns. That keeps a 1 GiB log near grep speed, memory flat.
import { detectFormat, parseLine } from './line-format.js';
import { matchSignatures } from './match.js';
import { maskSecrets } from './mask.js';
import { LiteralSearch, type LiteralHit } from './prefilter.js';
import { SIGNATURES, START_MARKER } from './signatures.js';
import type { LogFormat } from '../model/logs.js';

/** Bytes kept of one line; the rest of a longer line is skipped (a 100 MB line costs 64 KiB). */
export const LINE_CAP = 64 * 1024;
/** Characters of a line the patterns see: the `.*` in them make a pathological line cost
 * O(length²), and the CRI runtime splits lines at 16 KiB anyway. */
const MATCH_CAP = 16 * 1024;
const SAMPLE_CAP = 2000;
/** How many lines may precede the first line with a time (headers, a cobra `Error:` line). */
const FIRST_LINES = 50;
const NL = 0x0a;

const ANCHORS = [...new Set([...SIGNATURES.flatMap((s) => s.anchors), ...START_MARKER.anchors])];
/** A CRI line the runtime split: its rest follows on the next lines, up to an `F` line. */
const PARTIAL_MARKERS = [' stdout P ', ' stderr P '];
const SEARCH = new LiteralSearch([...ANCHORS, ...PARTIAL_MARKERS]);
const isPartialMarker = (literal: number): boolean => literal >= ANCHORS.length;

export interface SignatureCount {
  count: number;
  first: number | null;
  last: number | null;
  /** The first matching line, capped and masked. */
  sample: string;
}

export interface ScanResult {
  format: LogFormat;
  bytes: number;
  counts: Map<string, SignatureCount>;
  /** Time of the first line: for a pods `N.log` file, when that container attempt started. */
  firstTime: number | null;
  /** Time of the newest apiserver startup line. */
  lastStart: number | null;
}

export interface ScanOptions {
  now: Date;
  /** Known format (journalctl, crictl); detected from the first line when absent. */
  format?: LogFormat;
}

export async function scanLog(input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, opts: ScanOptions): Promise<ScanResult> {
  const scanner = new LogScanner(opts);
  for await (const chunk of input) scanner.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return scanner.finish();
}

interface PendingLine {
  message: string;
  raw: string;
  time: number | null;
}

class LogScanner {
  private format: LogFormat | null;
  /** Until a line other than blanks and journal comments is seen, each chunk is looked at again. */
  private firstLineRead = false;
  private carry: Buffer[] = [];
  private carryLen = 0;
  /** Fragments of a CRI line split into `P` lines, waiting for the closing `F` line. */
  private pending: PendingLine | null = null;
  private bytes = 0;
  private readonly counts = new Map<string, SignatureCount>();
  private firstTime: number | null = null;
  private lastStart: number | null = null;
  /** Time of the last line of the previous chunk, for plain logs. */
  private lastLineTime: number | null = null;

  constructor(private readonly opts: ScanOptions) {
    this.format = opts.format ?? null;
  }

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    let offset = 0;
    if (this.carryLen > 0) {
      const nl = chunk.indexOf(NL);
      if (nl === -1) return this.keep(chunk, 0, chunk.length);
      this.keep(chunk, 0, nl);
      const line = Buffer.concat(this.carry, this.carryLen);
      this.carry = [];
      this.carryLen = 0;
      this.scanRegion(line, 0, line.length);
      offset = nl + 1;
    }
    const lastNl = chunk.lastIndexOf(NL);
    if (lastNl < offset) return this.keep(chunk, offset, chunk.length);
    this.scanRegion(chunk, offset, lastNl);
    this.keep(chunk, lastNl + 1, chunk.length);
  }

  finish(): ScanResult {
    if (this.carryLen > 0) {
      const line = Buffer.concat(this.carry, this.carryLen);
      this.scanRegion(line, 0, line.length);
    }
    if (this.pending) this.flushPending();
    return {
      format: this.format ?? 'plain',
      bytes: this.bytes,
      counts: this.counts,
      firstTime: this.firstTime,
      lastStart: this.lastStart,
    };
  }

  /** Holds the unfinished last line for the next chunk, up to LINE_CAP bytes. */
  private keep(chunk: Buffer, from: number, to: number): void {
    const take = Math.min(LINE_CAP - this.carryLen, to - from);
    if (take <= 0) return;
    this.carry.push(Buffer.from(chunk.subarray(from, from + take)));
    this.carryLen += take;
  }

  /** [start, end) holds complete lines separated by newlines. */
  private scanRegion(buf: Buffer, start: number, end: number): void {
    if (!this.firstLineRead) this.readFirstLine(buf, start, end);
    const hits = SEARCH.find(buf, start, end);
    const splitLines = this.format === 'cri' && (this.pending !== null || hits.some((hit) => isPartialMarker(hit.literal)));
    if (splitLines) this.scanEveryLine(buf, start, end);
    else this.scanCandidates(buf, start, end, hits);
    // A plain log's next chunk may open with an `Error:` line whose time is this chunk's last one.
    if (this.format === 'plain') this.lastLineTime = this.previousLineTime(buf, start, end + 1) ?? this.lastLineTime;
  }

  /** Detects the format from the first non-empty line that is not a journal comment (`-- Logs
   * begin ...`), and finds the first line with a time among the first lines. */
  private readFirstLine(buf: Buffer, start: number, end: number): void {
    let looked = 0;
    for (let ls = start; ls < end && looked < FIRST_LINES;) {
      const le = lineEnd(buf, ls, end);
      const text = decode(buf, ls, le);
      ls = le + 1;
      if (text.trim() === '' || text.startsWith('-- ')) continue;
      looked++;
      this.firstLineRead = true;
      this.format ??= detectFormat(text);
      this.firstTime = parseLine(this.format, text, this.opts.now).time;
      if (this.firstTime !== null) break;
    }
  }

  /** The fast path: only lines that hold an anchor are decoded. */
  private scanCandidates(buf: Buffer, start: number, end: number, hits: LiteralHit[]): void {
    let done = start - 1;
    for (const { at } of hits) {
      if (at <= done) continue; // another anchor on a line already matched
      const ls = Math.max(start, buf.lastIndexOf(NL, at) + 1);
      done = lineEnd(buf, at, end);
      const raw = decode(buf, ls, done);
      const parts = parseLine(this.lineFormat(), raw, this.opts.now);
      this.matchLine(parts.message, parts.time ?? this.previousLineTime(buf, start, ls), raw);
    }
  }

  /** An `Error:` line carries no time of its own; the klog line before it does. */
  private previousLineTime(buf: Buffer, start: number, ls: number): number | null {
    if (ls <= start) return this.lastLineTime;
    const ps = Math.max(start, buf.lastIndexOf(NL, ls - 2) + 1);
    return parseLine(this.lineFormat(), decode(buf, ps, ls - 1), this.opts.now).time;
  }

  /** Lines before the first real one (journal comments) are read as plain. */
  private lineFormat(): LogFormat {
    return this.format ?? 'plain';
  }

  /** The slow path, for CRI chunks with split lines: joins `P` fragments up to the `F` line. */
  private scanEveryLine(buf: Buffer, start: number, end: number): void {
    for (let ls = start; ls <= end;) {
      const le = lineEnd(buf, ls, end);
      if (le > ls) this.joinCriLine(decode(buf, ls, le));
      ls = le + 1;
    }
  }

  private joinCriLine(raw: string): void {
    const parts = parseLine('cri', raw, this.opts.now);
    if (this.pending) {
      this.pending.message = capped(this.pending.message + parts.message);
      this.pending.raw = capped(this.pending.raw + parts.message);
      if (!parts.partial) this.flushPending();
      return;
    }
    if (parts.partial) this.pending = { message: parts.message, raw, time: parts.time };
    else if (hasAnchor(parts.message)) this.matchLine(parts.message, parts.time, raw);
  }

  private flushPending(): void {
    const { message, raw, time } = this.pending!;
    this.pending = null;
    if (hasAnchor(message)) this.matchLine(message, time, raw);
  }

  private matchLine(message: string, time: number | null, raw: string): void {
    const text = message.length > MATCH_CAP ? message.slice(0, MATCH_CAP) : message;
    if (START_MARKER.pattern.test(text)) this.lastStart = latest(this.lastStart, time);
    for (const signature of matchSignatures(text)) this.record(signature.id, time, raw);
  }

  private record(id: string, time: number | null, raw: string): void {
    const seen = this.counts.get(id);
    if (!seen) {
      this.counts.set(id, { count: 1, first: time, last: time, sample: maskSecrets(raw.slice(0, SAMPLE_CAP)) });
      return;
    }
    seen.count++;
    seen.first = earliest(seen.first, time);
    seen.last = latest(seen.last, time);
  }
}

function lineEnd(buf: Buffer, from: number, end: number): number {
  const nl = buf.indexOf(NL, from);
  return nl === -1 || nl > end ? end : nl;
}

/** Decodes at most LINE_CAP bytes of a line; invalid UTF-8 becomes U+FFFD, never an error. */
function decode(buf: Buffer, from: number, to: number): string {
  const text = buf.toString('utf8', from, Math.min(to, from + LINE_CAP));
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function capped(text: string): string {
  return text.length > LINE_CAP ? text.slice(0, LINE_CAP) : text;
}

function hasAnchor(message: string): boolean {
  return ANCHORS.some((anchor) => message.includes(anchor));
}

/** One result for two streams of the same source (a command's stdout and stderr). */
export function mergeScans(a: ScanResult, b: ScanResult): ScanResult {
  const counts = new Map(a.counts);
  for (const [id, seen] of b.counts) {
    const other = counts.get(id);
    counts.set(
      id,
      other
        ? {
            count: other.count + seen.count,
            first: earliest(other.first, seen.first),
            last: latest(other.last, seen.last),
            sample: other.sample,
          }
        : seen,
    );
  }
  return {
    format: a.format,
    bytes: a.bytes + b.bytes,
    counts,
    firstTime: earliest(a.firstTime, b.firstTime),
    lastStart: latest(a.lastStart, b.lastStart),
  };
}

const earliest = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const latest = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

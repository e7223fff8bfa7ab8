// Streams a log without ever holding it whole and keeps its candidate lines: raw chunks are searched
// once for the catalogue's literal anchors (no decoding), and only the lines holding one are decoded
// and kept, bounded (keep.ts). Judging them is the checks' work (judge.ts), so a bundle keeps the
// evidence and a newer catalogue can judge it again. That keeps a 1 GiB log near grep speed, memory flat.
import { CandidateKeeper } from './keep.js';
import { detectFormat, parseLine } from './line-format.js';
import { LiteralSearch, type LiteralHit } from './prefilter.js';
import { SIGNATURES, START_MARKER } from './signatures.js';
import type { CandidateLines, LogFormat } from '../model/logs.js';

/** Bytes kept of one line; the rest of a longer line is skipped (a 100 MB line costs 64 KiB). */
export const LINE_CAP = 64 * 1024;
/** How many lines may precede the first line with a time (headers, a cobra `Error:` line). */
const FIRST_LINES = 50;
const NL = 0x0a;

const ANCHORS = [...new Set([...SIGNATURES.flatMap((s) => s.anchors), ...START_MARKER.anchors])];
/** A CRI line the runtime split: its rest follows on the next lines, up to an `F` line. */
const PARTIAL_MARKERS = [' stdout P ', ' stderr P '];
const SEARCH = new LiteralSearch([...ANCHORS, ...PARTIAL_MARKERS]);
const isPartialMarker = (literal: number): boolean => literal >= ANCHORS.length;

export interface ScanResult extends CandidateLines {
  format: LogFormat;
  bytes: number;
  /** Time of the first line: for a pods `N.log` file, when that container attempt started. */
  firstTime: number | null;
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
  offset: number;
}

class LogScanner {
  private format: LogFormat | null;
  /** Until a line other than blanks and journal comments is seen, each chunk is looked at again. */
  private firstLineRead = false;
  private carry: Buffer[] = [];
  private carryLen = 0;
  /** Stream offset of the carried line's first byte. */
  private carryAt = 0;
  /** Fragments of a CRI line split into `P` lines, waiting for the closing `F` line. */
  private pending: PendingLine | null = null;
  private bytes = 0;
  private readonly kept = new CandidateKeeper();
  private firstTime: number | null = null;
  /** Time of the last line of the previous chunk, for plain logs. */
  private lastLineTime: number | null = null;

  constructor(private readonly opts: ScanOptions) {
    this.format = opts.format ?? null;
  }

  push(chunk: Buffer): void {
    const base = this.bytes;
    this.bytes += chunk.length;
    let offset = 0;
    if (this.carryLen > 0) {
      const nl = chunk.indexOf(NL);
      if (nl === -1) return this.hold(chunk, base, 0, chunk.length);
      this.hold(chunk, base, 0, nl);
      this.scanCarry();
      offset = nl + 1;
    }
    const lastNl = chunk.lastIndexOf(NL);
    if (lastNl < offset) return this.hold(chunk, base, offset, chunk.length);
    this.scanRegion(chunk, base, offset, lastNl);
    this.hold(chunk, base, lastNl + 1, chunk.length);
  }

  finish(): ScanResult {
    if (this.carryLen > 0) this.scanCarry();
    if (this.pending) this.flushPending();
    const format = this.format ?? 'plain';
    return { ...this.kept.finish(format), format, bytes: this.bytes, firstTime: this.firstTime };
  }

  /** Holds the unfinished last line for the next chunk, up to LINE_CAP bytes; `base` is the chunk's
   * offset in the stream. */
  private hold(chunk: Buffer, base: number, from: number, to: number): void {
    const take = Math.min(LINE_CAP - this.carryLen, to - from);
    if (take <= 0) return;
    if (this.carryLen === 0) this.carryAt = base + from;
    this.carry.push(Buffer.from(chunk.subarray(from, from + take)));
    this.carryLen += take;
  }

  private scanCarry(): void {
    const line = Buffer.concat(this.carry, this.carryLen);
    this.carry = [];
    this.carryLen = 0;
    this.scanRegion(line, this.carryAt, 0, line.length);
  }

  /** [start, end) holds complete lines separated by newlines; `base` is buf's offset in the stream. */
  private scanRegion(buf: Buffer, base: number, start: number, end: number): void {
    if (!this.firstLineRead) this.readFirstLine(buf, start, end);
    const hits = SEARCH.find(buf, start, end);
    const splitLines = this.format === 'cri' && (this.pending !== null || hits.some((hit) => isPartialMarker(hit.literal)));
    if (splitLines) this.scanEveryLine(buf, base, start, end);
    else this.scanCandidates(buf, base, start, end, hits);
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
  private scanCandidates(buf: Buffer, base: number, start: number, end: number, hits: LiteralHit[]): void {
    let done = start - 1;
    for (const { at, literal } of hits) {
      if (at <= done) continue; // another anchor on a line already kept
      const ls = Math.max(start, buf.lastIndexOf(NL, at) + 1);
      done = lineEnd(buf, at, end);
      const raw = decode(buf, ls, done);
      const { time } = parseLine(this.lineFormat(), raw, this.opts.now);
      this.kept.add(ANCHORS[literal]!, base + ls, time ?? this.previousLineTime(buf, start, ls), raw);
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
  private scanEveryLine(buf: Buffer, base: number, start: number, end: number): void {
    for (let ls = start; ls <= end;) {
      const le = lineEnd(buf, ls, end);
      if (le > ls) this.joinCriLine(decode(buf, ls, le), base + ls);
      ls = le + 1;
    }
  }

  private joinCriLine(raw: string, offset: number): void {
    const parts = parseLine('cri', raw, this.opts.now);
    if (this.pending) {
      this.pending.message = capped(this.pending.message + parts.message);
      this.pending.raw = capped(this.pending.raw + parts.message);
      if (!parts.partial) this.flushPending();
      return;
    }
    if (parts.partial) this.pending = { message: parts.message, raw, time: parts.time, offset };
    else this.keepIfAnchored(parts.message, offset, parts.time, raw);
  }

  private flushPending(): void {
    const { message, raw, time, offset } = this.pending!;
    this.pending = null;
    this.keepIfAnchored(message, offset, time, raw);
  }

  private keepIfAnchored(message: string, offset: number, time: number | null, raw: string): void {
    const anchor = ANCHORS.find((a) => message.includes(a));
    if (anchor) this.kept.add(anchor, offset, time, raw);
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

/** One result for two streams of the same source (a command's stdout and stderr). */
export function mergeScans(a: ScanResult, b: ScanResult): ScanResult {
  return {
    format: a.format,
    bytes: a.bytes + b.bytes,
    lines: [...a.lines, ...b.lines],
    omitted: a.omitted + b.omitted,
    firstTime: a.firstTime === null ? b.firstTime : b.firstTime === null ? a.firstTime : Math.min(a.firstTime, b.firstTime),
  };
}

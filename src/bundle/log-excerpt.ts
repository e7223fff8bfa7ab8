// A log file's excerpt for a bundle: only its tail is read (a 2 GiB log costs what the excerpt
// costs), lines older than --since are dropped, every line is redacted, and the result is spooled to
// a temporary file so the archive can stream it with a known size.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { RedactionCounts, Redactor } from '../redact/redactor.js';
import { openRegular } from '../io/host-fs.js';
import { resolveLog } from '../io/log-files.js';

export interface ExcerptOptions {
  /** At most this many bytes end up in the archive (the newest ones). */
  keepBytes: number;
  /** Drop lines older than this many milliseconds before `now`; null keeps every line. */
  sinceMs: number | null;
  now: Date;
  redactor: Redactor;
  /** Ctrl-C: stop reading at once (a large excerpt takes a while). */
  signal?: AbortSignal;
}

export interface Excerpt {
  spool: string;
  /** The byte range of the spool that goes into the archive. */
  start: number;
  end: number;
  sha256: string;
  originalBytes: number;
  /** True when bytes were left out to respect --max-size. */
  trimmed: boolean;
  redactions: RedactionCounts;
}

const ISO_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))\s/;
/** klog: I1127 08:54:44.123456 (no year; the year of `now` is assumed, the previous one for a date
 * in the future). */
const KLOG_TIME = /^[IWEF](\d\d)(\d\d) (\d\d:\d\d:\d\d)/;

export function lineTime(line: string, now: Date): number | null {
  const iso = ISO_TIME.exec(line);
  if (iso) return Date.parse(iso[1]!);
  const klog = KLOG_TIME.exec(line);
  if (!klog) return null;
  const year = now.getUTCFullYear();
  const at = (y: number) => Date.parse(`${y}-${klog[1]}-${klog[2]}T${klog[3]}Z`);
  return at(year) > now.getTime() ? at(year - 1) : at(year);
}

/** Bytes read before the excerpt only to learn whether it starts inside a PEM private key (whose
 * body lines, on their own, look like any base64). Far more than a key block takes. */
const LOOKBACK_BYTES = 64 * 1024;

/** Which lines to keep: none of the first skipBytes (the look-back, and the line the excerpt would
 * start in the middle of); with --since, lines from the cutoff on (a line without a timestamp goes
 * with the line before it). */
function lineFilter(skipBytes: number, sinceMs: number | null, now: Date): (line: string) => boolean {
  let skip = skipBytes;
  let recent = sinceMs === null;
  const cutoff = sinceMs === null ? 0 : now.getTime() - sinceMs;
  return (line) => {
    if (skip > 0) {
      skip -= Buffer.byteLength(line) + 1;
      return false;
    }
    if (sinceMs !== null) {
      const t = lineTime(line, now);
      if (t !== null) recent = t >= cutoff;
    }
    return recent;
  };
}

async function hashRange(file: string, start: number, end: number): Promise<string> {
  const hash = createHash('sha256');
  if (end > start) await pipeline(createReadStream(file, { start, end: end - 1 }), hash);
  return hash.digest('hex');
}
/** Spools the excerpt of a host file; throws the I/O error when it cannot be read. */
export async function spoolExcerpt(root: string, hostPath: string, spool: string, opts: ExcerptOptions): Promise<Excerpt> {
  // Resolved inside root and kept under /var/log; a FIFO or device is refused before it is opened.
  const { handle, size } = await openRegular(await resolveLog(root, hostPath), hostPath);
  const redactions: RedactionCounts = {};
  let excerptFrom: number;
  try {
    // A live log keeps growing: the excerpt ends where the file ended when we looked.
    excerptFrom = Math.max(0, size - opts.keepBytes);
    const readFrom = Math.max(0, excerptFrom - LOOKBACK_BYTES);
    // The look-back (which starts with a partial line) only feeds the redactor's key state.
    const skipBytes = excerptFrom - readFrom;
    const input = size === 0 ? [] : handle.createReadStream({ start: readFrom, end: size - 1, autoClose: false });
    await pipeline(input, opts.redactor.lines(redactions, lineFilter(skipBytes, opts.sinceMs, opts.now)), createWriteStream(spool), {
      signal: opts.signal,
    });
  } finally {
    await handle.close();
  }
  // Masks can be longer than what they hide: cut the spool's head if redaction grew it past the cap.
  const spooled = (await fs.stat(spool)).size;
  const start = Math.max(0, spooled - opts.keepBytes);
  return {
    spool,
    start,
    end: spooled,
    sha256: await hashRange(spool, start, spooled),
    originalBytes: size,
    trimmed: excerptFrom > 0 || start > 0,
    redactions,
  };
}

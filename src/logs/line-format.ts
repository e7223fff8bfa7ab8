// Recognises how a log line is prefixed (CRI, journal short-iso, journal short, plain) and reads its
// time. Pure; `now` supplies the year that klog and journal short lines leave out.
import type { LogFormat } from '../model/logs.js';

export interface LineParts {
  /** Epoch ms, or null when the line carries no time. */
  time: number | null;
  /** The text after the prefix. */
  message: string;
  /** A CRI `P` line: the runtime split a long line and the rest follows. */
  partial: boolean;
}

const ISO = '(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d))';
/** `<RFC3339Nano> stdout|stderr F|P <text>`; the stream and tag are optional so that
 * `crictl logs --timestamps` output (time, then text) reads the same way. */
const CRI = new RegExp(`^${ISO} (?:(?:stdout|stderr) ([FP]) )?`);
const CRI_STRICT = new RegExp(`^${ISO} (?:stdout|stderr) [FP] `);
/** journalctl -o short-iso: `2026-11-27T06:55:36+0000 host kubelet[812]: text`. */
const JOURNAL_ISO = new RegExp(`^${ISO} \\S+ [^\\s:]+: `);
/** journalctl -o short: `Nov 27 06:55:36 host kubelet[812]: text`. */
const JOURNAL_SHORT = /^([A-Z][a-z]{2}) ([ \d]?\d) (\d\d):(\d\d):(\d\d) \S+ [^\s:]+: /;
/** klog header: `E1127 06:55:37.008410   25952 file.go:12] text`. */
const KLOG = /^[IWEF](\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{1,6})/;
const TIMESTAMPED = new RegExp(`^${ISO} `);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;

/** Decides a file's format from its first non-empty line. */
export function detectFormat(line: string): LogFormat {
  if (CRI_STRICT.test(line)) return 'cri';
  if (JOURNAL_ISO.test(line)) return 'journal-iso';
  if (JOURNAL_SHORT.test(line)) return 'journal-short';
  if (TIMESTAMPED.test(line)) return 'cri';
  return 'plain';
}

/** Splits a line into time and message by its file's format; a line that does not fit the format
 * (a stray line in a journal export) is read as plain rather than dropped. */
export function parseLine(format: LogFormat, line: string, now: Date): LineParts {
  const parsed = parsePrefix(format, line, now);
  if (parsed.time !== null) return parsed;
  return { ...parsed, time: klogTime(parsed.message, now) };
}

/** The text after a line's prefix, for a line whose time is already known: the year `now` supplies
 * dates a line but does not move where its prefix ends. */
export function lineMessage(format: LogFormat, line: string): string {
  return parsePrefix(format, line, new Date(0)).message;
}

function parsePrefix(format: LogFormat, line: string, now: Date): LineParts {
  if (format === 'cri') {
    const m = CRI.exec(line);
    if (m) return { time: isoTime(m[1]!), message: line.slice(m[0].length), partial: m[2] === 'P' };
  } else if (format === 'journal-iso') {
    const m = JOURNAL_ISO.exec(line);
    if (m) return { time: isoTime(m[1]!), message: line.slice(m[0].length), partial: false };
  } else if (format === 'journal-short') {
    const m = JOURNAL_SHORT.exec(line);
    const month = m ? MONTHS.indexOf(m[1]!) : -1;
    if (m && month >= 0) {
      const time = inferYear(now, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), 0);
      return { time, message: line.slice(m[0].length), partial: false };
    }
  }
  return { time: null, message: line, partial: false };
}

/** Time of a klog header at the start of a message, or null. */
export function klogTime(message: string, now: Date): number | null {
  const m = KLOG.exec(message);
  if (!m) return null;
  const ms = Math.floor(Number(m[6]!.padEnd(6, '0')) / 1000);
  return inferYear(now, Number(m[1]) - 1, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), ms);
}

/** Parses RFC 3339 with any number of fraction digits and `+0000` offsets, which Date.parse does
 * not accept as written. */
export function isoTime(text: string): number | null {
  const m = /^(.{19})(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)$/.exec(text);
  if (!m) return null;
  const fraction = (m[2] ?? '').slice(0, 3).padEnd(3, '0');
  const zone = m[3] === 'Z' ? 'Z' : `${m[3]!.slice(0, 3)}:${m[3]!.slice(-2)}`;
  const time = Date.parse(`${m[1]}.${fraction}${zone}`);
  return Number.isNaN(time) ? null : time;
}

/** klog and journal short omit the year (and the zone: read as UTC). Take now's year unless that
 * puts the line more than a day in the future, which means it was written last year. */
function inferYear(now: Date, month: number, day: number, h: number, min: number, s: number, ms: number): number | null {
  if (month < 0 || month > 11 || day < 1 || day > 31) return null;
  const year = now.getUTCFullYear();
  const time = Date.UTC(year, month, day, h, min, s, ms);
  return time > now.getTime() + DAY_MS ? Date.UTC(year - 1, month, day, h, min, s, ms) : time;
}

// Holds one source's candidate lines within bounds while its log streams by. Each prefilter literal
// keeps its first line (a signature's first sighting and sample) and its newest ones (what tells a
// current error from history), so a day-long flood of one delivery error never pushes out the
// apiserver's startup line or a rarer fatal one. Lines are masked only once kept, at the end: a
// flood costs no redaction.
import { maskSecrets } from './mask.js';
import type { CandidateLine, CandidateLines, LogFormat } from '../model/logs.js';

/** Lines kept per source (per stream, for a command). */
export const LINES_KEPT = 2000;
/** Characters kept per source; facts.json must stay far below the 32 MiB a bundle reader accepts. */
export const CHARS_KEPT = 512 * 1024;
/** Characters kept of one line: what the signature patterns see (their `.*` make a longer line cost
 * O(length²), and the CRI runtime splits lines at 16 KiB anyway). */
export const TEXT_CAP = 16 * 1024;

interface Held {
  offset: number;
  time: number | null;
  hit: string;
  raw: string;
}

/** One literal's lines: the first, pinned, then the newest in arrival order from `from` on. */
interface Bucket {
  first: Held;
  recent: (Held | undefined)[];
  from: number;
}

export class CandidateKeeper {
  private readonly buckets = new Map<string, Bucket>();
  private lines = 0;
  private chars = 0;
  private omitted = 0;

  add(hit: string, offset: number, time: number | null, raw: string): void {
    const held = { offset, time, hit, raw: raw.length > TEXT_CAP ? raw.slice(0, TEXT_CAP) : raw };
    const bucket = this.buckets.get(hit);
    if (bucket) bucket.recent.push(held);
    else this.buckets.set(hit, { first: held, recent: [], from: 0 });
    this.lines++;
    this.chars += held.raw.length;
    while (this.lines > LINES_KEPT || this.chars > CHARS_KEPT) if (!this.dropOldest()) break;
  }

  finish(format: LogFormat | null): CandidateLines {
    const held = [...this.buckets.values()].flatMap((b) => [b.first, ...(b.recent.slice(b.from) as Held[])]);
    held.sort((a, b) => a.offset - b.offset);
    const lines = held.map((h): CandidateLine => ({
      offset: h.offset,
      time: h.time === null ? null : new Date(h.time).toISOString(),
      hit: h.hit,
      text: maskSecrets(h.raw),
    }));
    return { format, lines, omitted: this.omitted };
  }

  /** Drops the oldest unpinned line of the literal holding the most; false when only first lines are left. */
  private dropOldest(): boolean {
    let fullest: Bucket | null = null;
    for (const bucket of this.buckets.values()) {
      if (bucket.recent.length - bucket.from > (fullest ? fullest.recent.length - fullest.from : 0)) fullest = bucket;
    }
    if (!fullest) return false;
    const dropped = fullest.recent[fullest.from]!;
    fullest.recent[fullest.from++] = undefined;
    // Compacted now and then, so a flood costs amortised O(1) per line and bounded memory.
    if (fullest.from > 1024 && fullest.from * 2 > fullest.recent.length) {
      fullest.recent = fullest.recent.slice(fullest.from);
      fullest.from = 0;
    }
    this.lines--;
    this.chars -= dropped.raw.length;
    this.omitted++;
    return true;
  }
}

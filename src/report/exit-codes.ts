// Exit codes: the same in every output mode (documented in the README).
import type { Summary } from '../model/report.js';

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  fail: 3,
  strict: 4,
  /** Ctrl-C (128 + SIGINT), after cleaning up. */
  interrupted: 130,
} as const;

export function exitCodeFor(summary: Summary, strict: boolean): number {
  if (summary.fail > 0) return EXIT.fail;
  if (strict && (summary.warn > 0 || summary.unknown > 0)) return EXIT.strict;
  return EXIT.ok;
}

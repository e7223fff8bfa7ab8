// Exit codes: the same in every output mode (documented in the README).
import type { Comparison, Summary } from '../model/report.js';

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  fail: 3,
  strict: 4,
  /** Ctrl-C (128 + SIGINT), after cleaning up. */
  interrupted: 130,
} as const;

/** A regression against --compare's report is a failure even when --only left the failing check out. */
export function exitCodeFor(summary: Summary, strict: boolean, comparison?: Comparison): number {
  if (summary.fail > 0 || (comparison?.regressions.length ?? 0) > 0) return EXIT.fail;
  if (strict && (summary.warn > 0 || summary.unknown > 0)) return EXIT.strict;
  return EXIT.ok;
}

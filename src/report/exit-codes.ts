// Exit codes: the same in every output mode (documented in the README and in --help).
import type { Report } from '../model/report.js';

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  fail: 3,
  strict: 4,
  /** The target could not be checked at all: no apiserver found, its manifest unreadable or
   * unparsable, a bundle without facts. A CI job must not read that as "fine". */
  notChecked: 5,
  /** Ctrl-C (128 + SIGINT), after cleaning up. */
  interrupted: 130,
} as const;

/** A regression against --compare's report is a failure even when --only left the failing check out. */
export function exitCodeFor(report: Pick<Report, 'summary' | 'notChecked' | 'comparison'>, strict: boolean): number {
  if (report.notChecked !== undefined) return EXIT.notChecked;
  const { summary } = report;
  if (summary.fail > 0 || (report.comparison?.regressions.length ?? 0) > 0) return EXIT.fail;
  if (strict && (summary.warn > 0 || summary.unknown > 0)) return EXIT.strict;
  return EXIT.ok;
}

/** The closing line: the verdict and the command to run next. */
export function verdictLine(report: Pick<Report, 'summary' | 'notChecked' | 'interrupted'>, code: number): string {
  const s = report.summary;
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  if (report.interrupted) return `interrupted: ${s.pass + s.warn + s.fail} check(s) finished before the run was stopped (exit ${code})`;
  if (code === EXIT.notChecked) {
    // Permission denied is the common case on a real node: the manifests are root's.
    const next = /permission denied/.test(report.notChecked ?? '')
      ? 'run as root (sudo prisma-audit doctor)'
      : 'run on a control-plane node, or pass --root DIR or --manifest PATH';
    return `nothing could be checked: ${report.notChecked} — ${next} (exit ${code})`;
  }
  if (s.fail > 0)
    return `${s.fail === 1 ? '1 check fails' : `${s.fail} checks fail`} — \`prisma-audit fix\` writes corrected files (exit ${code})`;
  if (code === EXIT.strict)
    return `no check fails, but --strict counts ${s.warn} warn and ${s.unknown} unknown — \`prisma-audit explain <id>\` says why (exit ${code})`;
  if (s.unknown > 0) return `no check fails; ${plural(s.unknown, 'check')} could not look — see their hints (exit ${code})`;
  if (s.warn > 0) return `no check fails; ${plural(s.warn, 'warning')} — \`prisma-audit explain <id>\` says why (exit ${code})`;
  return `healthy: no check fails (exit ${code})`;
}

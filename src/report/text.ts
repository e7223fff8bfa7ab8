// Plain text: the same content as the terminal UI, in lines, without cursor codes.
import { terminalSafe } from './terminal-safe.js';
import { verdictLine } from './exit-codes.js';
import type { CheckResult, Evidence, Report, Summary, Target } from '../model/report.js';
import { STATUS_LABEL, type Style } from './style.js';
import { comparisonLines } from './compare.js';
import { hanging } from './wrap.js';

/** How the text is laid out: `width` wraps under each column (a terminal); null leaves lines whole. */
export interface TextLayout {
  width: number | null;
}
const WHOLE: TextLayout = { width: null };

export function evidenceLine(e: Evidence): string {
  const where = e.file ? `${e.file}${e.line ? `:${e.line}` : ''}` : '';
  const parts = [e.actual !== undefined ? `actual: ${e.actual}` : null, e.expected !== undefined ? `expected: ${e.expected}` : null].filter(
    Boolean,
  );
  const cmp = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  return `${where ? `${where}: ` : ''}${e.message}${cmp}`;
}

export function targetLine(t: Target): string {
  const parts = [
    t.distribution ?? 'no apiserver found',
    t.manifest,
    t.kubernetesVersion ? `Kubernetes ${t.kubernetesVersion}` : null,
    t.upgradeTo ? `judged as ${t.upgradeTo} (--upgrade-to)` : null,
    `root ${t.root}`,
    t.recordedAt ? `recorded ${t.recordedAt}` : null,
    t.offline ? 'offline' : null,
  ];
  return parts.filter(Boolean).join(' · ');
}

export function summaryLine(s: Summary, total: number): string {
  return `${total} checks: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.skip} skip, ${s.unknown} unknown`;
}

/** One check, as lines. Details (evidence, fix) for anything that is not a pass, or always when verbose. */
export function checkLines(r: CheckResult, style: Style, verbose: boolean, layout: TextLayout = WHOLE): string[] {
  const label = style.status(r.status, STATUS_LABEL[r.status].padEnd(7));
  const w = layout.width;
  const lines = hanging(`${label} ${style.bold(r.id.padEnd(24))} `, r.summary, w);
  if ((r.status === 'pass' || r.status === 'skip') && !verbose) return lines;
  const pad = ' '.repeat(8);
  for (const e of r.evidence) lines.push(...hanging(`${pad}${style.dim('·')} `, evidenceLine(e), w));
  if (r.remediation && r.status !== 'pass') {
    lines.push(...hanging(`${pad}${style.bold('fix:')} `, r.remediation.text, w));
    for (const c of r.remediation.commands) lines.push(...hanging(`${pad}  $ `, c, w));
    if (r.remediation.fix) lines.push(`${pad}  $ prisma-audit fix --only ${r.remediation.fix}`);
  }
  if (r.status !== 'pass' && r.status !== 'skip') lines.push(`${pad}${style.dim(`more: prisma-audit explain ${r.id}`)}`);
  return lines;
}

export function headerLines(report: Pick<Report, 'tool' | 'target'>, style: Style): string[] {
  const lines = [style.bold(`${report.tool.name} ${report.tool.version} doctor`) + ` · ${targetLine(report.target)}`];
  if (report.target.bundle)
    lines.push(
      style.status(
        'warn',
        `RECORDED: re-checked from the support bundle ${report.target.bundle} (facts gathered ${report.target.recordedAt}); nothing on this machine was read.`,
      ),
    );
  if (report.target.demo) lines.push(style.status('warn', 'DEMO: checking the bundled demo node (fixtures/demo/root), not this machine.'));
  return lines;
}

/** The report as text, ending with the summary and the verdict line (what to run next). */
export function renderText(untrusted: Report, style: Style, verbose: boolean, exitCode: number, layout: TextLayout = WHOLE): string {
  // File contents and names reach the terminal with their control characters escaped.
  const report = terminalSafe(untrusted);
  const lines = [...headerLines(report, style).flatMap((h) => hanging('', h, layout.width)), ''];
  if (report.comparison) lines.push(...comparisonLines(report.comparison, style), '');
  for (const r of report.checks) lines.push(...checkLines(r, style, verbose, layout));
  const verdict = verdictLine(report, exitCode);
  lines.push(
    '',
    summaryLine(report.summary, report.checks.length),
    ...hanging('', exitCode === 0 ? verdict : style.bold(verdict), layout.width),
    '',
  );
  return lines.join('\n');
}

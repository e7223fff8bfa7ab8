// The doctor's screen as lines, from the run's state, the selection and the window size. Pure (no
// ink, no I/O): ink only paints these lines, and the CLI paints the very first frame with the same
// function before ink has loaded. The frame is always shorter than the window, so ink never falls
// back to clearing the screen (and the scrollback with it).
import type { CheckResult, Comparison, Status } from '../model/report.js';
import { changedSince, comparisonLines, compareReports } from '../report/compare.js';
import { evidenceLine, summaryLine } from '../report/text.js';
import { STATUS_LABEL, type Style } from '../report/style.js';
import { hanging } from '../report/wrap.js';
import { cellWidth, cutToWidth } from '../report/cells.js';
import type { RunModel } from './model.js';

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ID_WIDTH = 26;

/** One line of the list: a check, or every check skipped for the same reason. */
export type Row =
  | { kind: 'check'; id: string; title: string; result: CheckResult | null; running: boolean }
  | { kind: 'skipped'; reason: string; results: CheckResult[] };

const RANK: Record<Status, number> = { fail: 0, warn: 1, unknown: 2, pass: 3, skip: 4 };

/** While running, rows keep the catalogue order (nothing jumps); once done, problems come first and
 * skipped checks fold into one row per reason. */
export function rowsOf(model: RunModel): Row[] {
  if (!model.report) {
    return model.checks.map((c) => ({
      kind: 'check',
      id: c.id,
      title: c.title,
      result: model.results[c.id] ?? null,
      running: model.started.has(c.id),
    }));
  }
  const checks = model.report.checks;
  const shown = checks
    .filter((r) => r.status !== 'skip')
    .sort((a, b) => RANK[a.status] - RANK[b.status] || checks.indexOf(a) - checks.indexOf(b))
    .map((r): Row => ({ kind: 'check', id: r.id, title: r.title, result: r, running: false }));
  const skipped = new Map<string, CheckResult[]>();
  for (const r of checks) if (r.status === 'skip') skipped.set(r.summary, [...(skipped.get(r.summary) ?? []), r]);
  return [...shown, ...[...skipped].map(([reason, results]): Row => ({ kind: 'skipped', reason, results }))];
}

/** What the fix keys produced, shown in the details pane instead of the selected check. */
export interface FixPane {
  title: string;
  lines: string[];
}

export interface View {
  selected: number;
  /** First line of the details pane shown (clamped when laid out). */
  detailsTop: number;
  frame: number;
  /** Time since the run started, for the status line while it runs. */
  elapsedMs: number;
  fix: FixPane | null;
  /** One line under the summary: bundle progress, a fix error. */
  notice: string | null;
  keys: { fix: boolean; bundle: boolean; interactive: boolean };
}

export interface Size {
  columns: number;
  rows: number;
}

/** A terminal that reports 0x0 (a pty nobody sized: `script`, some CI runners, serial consoles) is
 * laid out as 80x24, by us and by ink alike. */
export function terminalSize(out: { columns?: number; rows?: number }): Size {
  return { columns: out.columns || 80, rows: out.rows || 24 };
}

const FACT_LABEL: Record<string, string> = {
  apiserver: 'apiserver manifest',
  manifestsDir: 'static-pod directory',
  policy: 'audit policy',
  webhookConfig: 'webhook kubeconfig',
  auditPaths: 'audit files',
  webhookProbe: 'webhook endpoint (DNS, TCP, TLS, POST)',
  nodeLogs: 'node logs',
};
const factLabel = (key: string) => FACT_LABEL[key] ?? key.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);

function headerLine(model: RunModel): string {
  const head = `${model.tool.name} ${model.tool.version} doctor`;
  if (model.report) {
    const t = model.report.target;
    return [
      head,
      t.distribution ?? 'no apiserver found',
      t.manifest,
      t.kubernetesVersion ? `Kubernetes ${t.kubernetesVersion}` : null,
      `root ${t.root}`,
      t.offline ? 'offline' : null,
    ]
      .filter(Boolean)
      .join(' · ');
  }
  return `${head} · gathering: ${model.gathering.map(factLabel).join(', ') || 'evaluating'} · root ${model.target.root}`;
}

function statusCell(row: Row, style: Style, frame: number): string {
  if (row.kind === 'skipped') return style.status('skip', STATUS_LABEL.skip.padEnd(8));
  if (row.result) return style.status(row.result.status, STATUS_LABEL[row.result.status].padEnd(8));
  return row.running ? style.status('unknown', `${SPINNER[frame % SPINNER.length]}`.padEnd(8)) : style.dim('·'.padEnd(8));
}

/** `doctor --compare`: the run so far against the earlier report (checks are marked as they finish). */
function comparisonOf(model: RunModel): Comparison | null {
  if (!model.since) return null;
  const now = model.report ?? { checks: Object.values(model.results) };
  return compareReports(model.since.before, now, model.since.against, model.since.forced);
}

/** A row's short marker when its status changed since the earlier report. */
function changeMark(c: Comparison | null, id: string, style: Style): string {
  const regressed = c?.regressions.find((x) => x.id === id);
  if (regressed) return `${style.status('fail', `[was ${regressed.before}]`)} `;
  const other = c && [...c.fixes, ...c.changed].find((x) => x.id === id);
  return other ? `${style.dim(`[was ${other.before}]`)} ` : '';
}

function rowLine(row: Row, selected: boolean, style: Style, frame: number, columns: number, c: Comparison | null): string {
  const mark = selected ? '›' : ' ';
  const id = row.kind === 'check' ? row.id : `${row.results.length} skipped`;
  const text = row.kind === 'skipped' ? row.reason : (row.result?.summary ?? `${row.title}…`);
  const changed = row.kind === 'check' ? changeMark(c, row.id, style) : '';
  const line = `${mark}${statusCell(row, style, frame)}${style.bold(id.padEnd(ID_WIDTH - 1))} ${changed}${row.kind === 'check' && !row.result ? style.dim(text) : text}`;
  const cut = cutToWidth(line, columns);
  return selected ? style.inverse(cut + ' '.repeat(Math.max(0, columns - cellWidth(cut)))) : cut;
}

/** The details of a row, wrapped to the width: evidence, the fix, the commands. */
export function detailLines(row: Row | undefined, style: Style, columns: number, c: Comparison | null = null): string[] {
  if (!row) return [];
  const w = columns;
  if (row.kind === 'skipped') {
    return [
      ...hanging('', `${row.results.length} check(s) skipped: ${row.reason}`, w),
      ...row.results.flatMap((r) => hanging(`  ${style.dim('·')} `, `${r.id} — ${r.title}`, w)),
    ];
  }
  const r = row.result;
  if (!r) return hanging('', `${row.title}: ${row.running ? 'running…' : 'waiting for its facts…'}`, w);
  const lines = [
    ...hanging(`${style.status(r.status, STATUS_LABEL[r.status])} ${style.bold(r.id)} `, `— ${r.title}`, w),
    ...hanging('  ', r.summary, w),
  ];
  const since = c && changedSince(c, r.id);
  if (since) lines.push(...hanging('  ', since, w));
  for (const e of r.evidence) lines.push(...hanging(`  ${style.dim('·')} `, evidenceLine(e), w));
  if (r.remediation && r.status !== 'pass') {
    lines.push(...hanging(`  ${style.bold('fix:')} `, r.remediation.text, w));
    for (const c of r.remediation.commands) lines.push(...hanging('    $ ', c, w));
    if (r.remediation.fix) lines.push(...hanging('    $ ', `prisma-audit fix --only ${r.remediation.fix}`, w));
  }
  if (r.status !== 'pass') lines.push(...hanging('  ', style.dim(`more: prisma-audit explain ${r.id}`), w));
  return lines;
}

function keyHelp(model: RunModel, view: View): string {
  if (!view.keys.interactive) return '';
  if (!model.report) return '↑/↓ select · PgUp/PgDn details · q stop (keeps what finished) · Ctrl-C abort';
  const fix = view.keys.fix ? ' · f fix · F fix all · d diff' : '';
  return `↑↓ select · PgUp/PgDn details${fix}${view.keys.bundle ? ' · b bundle' : ''} · q quit`;
}

function statusLine(model: RunModel, view: View): string {
  if (model.report) return summaryLine(model.report.summary, model.report.checks.length);
  const done = Object.keys(model.results).length;
  return `${SPINNER[view.frame % SPINNER.length]} ${done} of ${model.checks.length} checks done · ${(view.elapsedMs / 1000).toFixed(1)}s`;
}

export interface Laid {
  lines: string[];
  rows: Row[];
  /** The details pane's height and content length, for paging. */
  detailsHeight: number;
  detailsLength: number;
}

/** The whole frame: header, list, details, summary, keys; at most `rows - 1` lines. */
export function layout(model: RunModel, view: View, size: Size, style: Style): Laid {
  const columns = Math.max(size.columns, 20);
  const height = Math.max(size.rows - 1, 4);
  const cut = (s: string) => cutToWidth(s, columns);
  const top = [style.bold(cut(headerLine(model)))];
  if (model.target.demo)
    top.push(style.status('warn', cut('DEMO: checking the bundled demo node (fixtures/demo/root), not this machine.')));
  if (model.report?.target.bundle)
    top.push(
      style.status(
        'warn',
        cut(`RECORDED: re-checked from ${model.report.target.bundle} (facts gathered ${model.report.target.recordedAt})`),
      ),
    );
  const comparison = comparisonOf(model);
  if (comparison) top.push(cut(comparisonLines(comparison, style)[0]!));
  const help = keyHelp(model, view);
  const bottom = [
    style.bold(cut(statusLine(model, view))),
    ...(view.notice ? [style.dim(cut(view.notice))] : []),
    ...(help ? [style.dim(cut(help))] : []),
  ];
  const rows = rowsOf(model);
  const room = Math.max(height - top.length - bottom.length, 2);
  // The list gets what it needs up to a bit more than half the room; the details pane the rest.
  const listHeight = Math.min(rows.length, Math.max(Math.min(3, room), room - Math.max(5, Math.floor(room * 0.45))));
  const detailsRoom = room - listHeight;
  const selected = Math.max(0, Math.min(view.selected, rows.length - 1));
  const first = Math.max(0, Math.min(selected - Math.floor(listHeight / 2), rows.length - listHeight));
  const list = rows
    .slice(first, first + listHeight)
    .map((r, i) => rowLine(r, first + i === selected, style, view.frame, columns, comparison));
  const content = view.fix
    ? view.fix.lines.flatMap((l) => hanging('', l, columns))
    : detailLines(rows[selected], style, columns, comparison);
  const pane = Math.max(detailsRoom - 1, 0);
  const detailsTop = Math.max(0, Math.min(view.detailsTop, content.length - pane));
  const details: string[] = [];
  if (detailsRoom > 0) {
    const name = view.fix ? view.fix.title : rows[selected]?.kind === 'check' ? (rows[selected] as { id: string }).id : 'skipped';
    const range =
      content.length > pane ? ` ${detailsTop + 1}-${Math.min(detailsTop + pane, content.length)} of ${content.length} (PgUp/PgDn)` : '';
    const label = `── ${name}${range} `;
    details.push(style.dim(cut(label + '─'.repeat(Math.max(0, columns - cellWidth(label))))));
    details.push(...content.slice(detailsTop, detailsTop + pane).map(cut));
  }
  return { lines: [...top, ...list, ...details, ...bottom], rows, detailsHeight: pane, detailsLength: content.length };
}

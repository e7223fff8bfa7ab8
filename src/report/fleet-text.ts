// The fleet report as plain text: the fleet findings, the node × check matrix, then each node's
// own report (only what is not a pass, unless --verbose).
import type { Status } from '../model/report.js';
import { nodeKey, type FleetNodeResult, type FleetReport } from '../model/fleet.js';
import { STATUS_LABEL, type Style } from './style.js';
import { checkLines, summaryLine, targetLine } from './text.js';

const CELL: Record<Status, string> = { pass: 'pass', warn: 'WARN', fail: 'FAIL', skip: 'skip', unknown: 'UNKN' };

/** Node columns are numbered when names are long; the legend names them. */
export function matrixLines(report: FleetReport, style: Style): string[] {
  if (report.matrix.length === 0) return [];
  const keys = report.nodes.map(nodeKey);
  const short = keys.every((k) => k.length <= 12);
  const heads = short ? keys : keys.map((_, i) => `#${i + 1}`);
  const width = Math.max(4, ...heads.map((h) => h.length));
  const idWidth = Math.max(...report.matrix.map((m) => m.check.length));
  const lines = [`${''.padEnd(idWidth)}  ${heads.map((h) => h.padEnd(width)).join(' ')}`];
  for (const row of report.matrix) {
    const cells = keys.map((k) => {
      const s = row.statuses[k];
      return s ? style.status(s, CELL[s].padEnd(width)) : style.dim('-'.padEnd(width));
    });
    lines.push(`${row.check.padEnd(idWidth)}  ${cells.join(' ')}`);
  }
  if (!short) lines.push('', ...keys.map((k, i) => `#${i + 1} ${k}`));
  return lines;
}

function nodeLines(n: FleetNodeResult, style: Style, verbose: boolean): string[] {
  const head = style.bold(`node ${nodeKey(n)}`);
  if (!n.report) {
    return [
      `${head} · ${style.status('unknown', STATUS_LABEL.unknown)} ${n.reason}`,
      ...n.evidence.map((e) => `        ${style.dim('·')} ${e}`),
    ];
  }
  const lines = [`${head} · ${targetLine(n.report.target)} · pod ${n.pod}`];
  for (const m of n.notMounted) lines.push(`        ${style.dim('·')} not mounted: ${m.hostPath}: ${m.reason}`);
  for (const r of n.report.checks)
    if (verbose || (r.status !== 'pass' && r.status !== 'skip')) lines.push(...checkLines(r, style, verbose));
  lines.push(`        ${summaryLine(n.report.summary, n.report.checks.length)}`);
  return lines;
}

export function renderFleetText(report: FleetReport, style: Style, verbose: boolean): string {
  const clusters = report.clusters.map(
    (c) => `${c.context ?? 'current context'}${c.server ? ` (${c.server})` : ''}: ${c.problem ?? `${c.nodes} control-plane node(s)`}`,
  );
  const lines = [
    style.bold(`${report.tool.name} ${report.tool.version} fleet`) +
      ` · ${report.summary.checked} of ${report.summary.nodes} node(s) checked`,
    ...clusters.map((c) => `  ${c}`),
    '',
  ];
  // Fleet findings have no `explain` entry: their evidence says it all.
  for (const f of report.findings) lines.push(...checkLines(f, style, verbose).filter((l) => !l.includes('more: prisma-audit explain')));
  const matrix = matrixLines(report, style);
  if (matrix.length > 0) lines.push('', ...matrix);
  for (const n of report.nodes) lines.push('', ...nodeLines(n, style, verbose));
  const s = report.summary;
  lines.push(
    '',
    `${s.nodes} node(s), ${s.checked} checked: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.skip} skip, ${s.unknown} unknown`,
    '',
  );
  return lines.join('\n');
}

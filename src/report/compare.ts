// `doctor --compare`: this report against an earlier one of the same node. Pure: regressions first
// (passed before, fails now), then fixes, then what changed in the audit configuration.
import type { Comparison, ConfigChange, Fingerprint, Report, Status, StatusChange } from '../model/report.js';
import type { Style } from './style.js';

const GOOD: Status[] = ['pass', 'warn'];

/** The earlier report a run is compared with; `forced` says why --force was needed. */
export interface Comparing {
  before: Report;
  against: string;
  forced: string | null;
}

/** Why the two reports are not of the same target, or null when they are (or cannot be told apart). */
export function differentTarget(before: Fingerprint | undefined, now: Fingerprint | undefined): string | null {
  if (!before)
    return 'the earlier report has no fingerprint (made by an older prisma-audit, or not a doctor report): its node cannot be verified';
  if (!now) return null;
  const differ = (what: string, a: string | null, b: string | null) => (a && b && a !== b ? `${what} ${a} then, ${b} now` : null);
  return (
    differ('cluster', before.cluster, now.cluster) ??
    differ('machine id', before.node.machineId, now.node.machineId) ??
    differ('node', before.node.hostname, now.node.hostname) ??
    differ('apiserver configuration', before.node.manifest, now.node.manifest)
  );
}

function configChanges(before: Fingerprint | undefined, now: Fingerprint | undefined): ConfigChange[] {
  if (!before || !now) return [];
  const out: ConfigChange[] = [];
  for (const name of [...new Set([...Object.keys(before.flags), ...Object.keys(now.flags)])].sort()) {
    const [a, b] = [before.flags[name] ?? null, now.flags[name] ?? null];
    if (a !== b) out.push({ kind: 'flag', name: `--${name}`, before: a, now: b });
  }
  for (const role of ['policy', 'webhook-config'] as const) {
    const [a, b] = [before.files.find((f) => f.role === role), now.files.find((f) => f.role === role)];
    const show = (f: typeof a) => (f ? `${f.path} (sha256 ${f.sha256?.slice(0, 12) ?? 'unreadable'})` : null);
    if (a?.path !== b?.path || a?.sha256 !== b?.sha256)
      out.push({ kind: 'file', name: role === 'policy' ? 'audit policy' : 'webhook kubeconfig', before: show(a), now: show(b) });
  }
  return out;
}

export function compareReports(
  before: Report,
  now: { checks: Report['checks']; fingerprint?: Report['fingerprint'] },
  against: string,
  forced: string | null,
): Comparison {
  const then = new Map(before.checks.map((c) => [c.id, c]));
  const regressions: StatusChange[] = [];
  const fixes: StatusChange[] = [];
  const changed: StatusChange[] = [];
  for (const c of now.checks) {
    const b = then.get(c.id);
    if (!b || b.status === c.status) continue;
    const change = { id: c.id, title: c.title, before: b.status, now: c.status, summary: c.summary };
    if (c.status === 'fail' && GOOD.includes(b.status)) regressions.push(change);
    else if (b.status === 'fail' && GOOD.includes(c.status)) fixes.push(change);
    else changed.push(change);
  }
  return {
    against,
    takenAt: before.fingerprint?.takenAt ?? null,
    regressions,
    fixes,
    changed,
    config: configChanges(before.fingerprint, now.fingerprint),
    forced,
  };
}

const arrow = (c: StatusChange) => `${c.before} -> ${c.now}`;

/** The comparison as text lines (the text report and the terminal UI print the same). */
export function comparisonLines(c: Comparison, style: Style): string[] {
  const lines = [
    style.bold(
      `Compared with ${c.against}${c.takenAt ? ` (taken ${c.takenAt})` : ''}: ${c.regressions.length} regression(s), ${c.fixes.length} fixed, ${c.config.length} configuration change(s)`,
    ),
  ];
  if (c.forced) lines.push(style.status('warn', `--force: ${c.forced}`));
  for (const r of c.regressions)
    lines.push(`${style.status('fail', 'REGRESSION')} ${style.bold(r.id.padEnd(24))} ${arrow(r)}: ${r.summary}`);
  for (const r of c.fixes) lines.push(`${style.status('pass', 'FIXED     ')} ${style.bold(r.id.padEnd(24))} ${arrow(r)}`);
  for (const r of c.changed) lines.push(`${'CHANGED   '} ${style.bold(r.id.padEnd(24))} ${arrow(r)}`);
  for (const x of c.config) lines.push(`${'CONFIG    '} ${x.name}: ${x.before ?? '(absent)'} -> ${x.now ?? '(absent)'}`);
  return lines;
}

/** The marker a check carries in the UI when its status changed since the earlier report. */
export function changedSince(c: Comparison, id: string): string | null {
  const r = c.regressions.find((x) => x.id === id);
  if (r) return `REGRESSION since ${c.against}: ${arrow(r)}`;
  const other = [...c.fixes, ...c.changed].find((x) => x.id === id);
  return other ? `changed since ${c.against}: ${arrow(other)}` : null;
}

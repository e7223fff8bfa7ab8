// What `fix` prints: one line per fix with its state and files, then where the plan went or what
// --apply changed, the checks after it, and the rollback command. Text or one JSON document.
import type { Report } from '../model/report.js';
import type { FixOutcome, FixPlan } from '../fixes/plan.js';
import { manifestChanges, restartApiserver, restartCommand } from '../fixes/restart.js';
import type { Artifact, GatheredFacts } from '../fixes/types.js';
import type { Applied, CurrentFile } from '../fixes/apply.js';
import { STATUS_LABEL } from './style.js';

export interface FixSummary {
  root: string;
  stamp: string;
  before: Report;
  plan: FixPlan;
  pending: Artifact[];
  read: Map<string, CurrentFile>;
  facts: GatheredFacts;
  apply: boolean;
}

export interface FixResultExtra {
  nothing?: boolean;
  out?: string;
  applied?: Applied;
  after?: Report;
  rollback?: string[];
}

type State = 'refused' | 'withheld' | 'unchanged' | 'planned' | 'applied';

function stateOf(o: FixOutcome, s: FixSummary, extra: FixResultExtra): State {
  if (o.refusal) return 'refused';
  if (o.withheld) return 'withheld';
  const changes = o.artifacts.some((a) => s.pending.includes(a) || (a.kind === 'write' && a.durable));
  if (!changes) return 'unchanged';
  return extra.applied ? 'applied' : 'planned';
}

const verb = (a: Artifact) => (a.kind === 'move' ? `move ${a.from} ->` : a.durable ? 'snippet' : 'write');
const target = (a: Artifact) =>
  a.kind === 'write' && a.durable ? `${a.durable.fileName} (merge into ${a.durable.mergeInto})` : a.hostPath;

/** Log findings describe the apiserver's last start: once the files are right, what confirms the
 * fix is a restart and a fresh look, not another file. */
function awaitingRestart(s: FixSummary): { checks: { id: string; summary: string }[]; restart: string | null; text: string } | null {
  if (s.plan.awaitingRestart.length === 0) return null;
  const api = s.facts.apiserver?.ok ? s.facts.apiserver.value : null;
  const checks = s.plan.awaitingRestart.map((c) => ({ id: c.id, summary: c.summary }));
  const said = checks.map((c) => `${c.id}: ${c.summary}`).join('; ');
  if (api && manifestChanges(s.pending, api)) {
    return {
      checks,
      restart: null,
      text: `${said}. These lines are from kube-apiserver's last start; the kubelet restarts it when the manifest changes: run prisma-audit doctor once it is up to confirm.`,
    };
  }
  const restart = api ? restartApiserver(api) : null;
  const how = restart ? `restart it (${restart})` : 'restart it';
  return {
    checks,
    restart,
    text: `${said}. These lines are from kube-apiserver's last start and it reads the audit files only at startup: ${how}, then run prisma-audit doctor to confirm.`,
  };
}

/** No fix ran: say which problems need a hand, so "nothing" is not read as "all good". */
function nothingToFix(before: Report, logsOnly: boolean): string {
  const manual = before.checks.filter((c) => (c.status === 'fail' || c.status === 'unknown') && !c.remediation?.fix);
  if (manual.length === 0)
    return logsOnly
      ? "nothing to fix in the files: the checks of the node's files name no fix"
      : 'nothing to fix: no failing or warning check names a fix';
  const [first, ...rest] = manual;
  const more = rest.length > 0 ? ` (then ${rest.map((c) => c.id).join(', ')})` : '';
  return `nothing to fix automatically. By hand, first ${first!.id} (${first!.status}): ${first!.summary}${more}; see prisma-audit explain ${first!.id}`;
}

export function renderFixText(s: FixSummary, extra: FixResultExtra): string {
  const t = s.before.target;
  const lines = [
    `${s.before.tool.name} ${s.before.tool.version} fix · ${t.distribution ?? 'unknown'} · ${t.manifest ?? 'no apiserver configuration'} · root ${s.root}`,
  ];
  if (s.plan.outcomes.length > 0) lines.push('');
  const width = Math.max(...s.plan.outcomes.map((o) => o.id.length), 10);
  for (const o of s.plan.outcomes) {
    const state = stateOf(o, s, extra);
    lines.push(`${o.id.padEnd(width)}  ${state.toUpperCase().padEnd(9)} ${o.refusal?.reason ?? o.withheld ?? o.why}`);
    for (const a of o.artifacts) if (state !== 'unchanged') lines.push(`${' '.repeat(width + 2)}${verb(a)} ${target(a)}: ${a.description}`);
    for (const step of [...(o.refusal?.manualSteps ?? []), ...o.deferred, ...o.remaining.map((r) => `still failing: ${r}`)])
      lines.push(`${' '.repeat(width + 2)}· ${step}`);
  }
  lines.push('');
  const logs = awaitingRestart(s);
  if (extra.nothing)
    lines.push(
      s.plan.outcomes.length > 0 ? 'nothing to change: every planned file is already in place' : nothingToFix(s.before, logs !== null),
    );
  if (logs) lines.push(logs.text);
  const snippets = s.plan.artifacts.filter((a) => a.kind === 'write' && a.durable);
  if (extra.nothing && s.apply && !extra.out && snippets.length > 0) {
    lines.push(
      `Still to merge by hand: ${snippets.map(target).join(', ')}; \`prisma-audit fix\` without --apply writes them to a plan folder.`,
    );
  }
  if (extra.out && !extra.applied)
    lines.push(
      `Wrote the plan to ${extra.out}/ (README.md lists the steps; diffs/ has a unified diff per file). Nothing on the node was changed.`,
    );
  if (extra.out && extra.applied) lines.push(`A record of the changes and the durable snippets to merge are in ${extra.out}/ (README.md).`);
  if (extra.applied) {
    const a = extra.applied;
    lines.push(
      `Applied: ${a.written.length} file(s) replaced, ${a.created.length} created, ${a.moved.length} moved; backups in ${a.backupDir}/ (under the root).`,
    );
    if (extra.after) {
      lines.push('Checks now:');
      for (const c of extra.after.checks) lines.push(`  ${STATUS_LABEL[c.status].padEnd(8)}${c.id.padEnd(24)} ${c.summary}`);
    }
    const restart = restartCommand(s.pending, s.facts.apiserver?.ok ? s.facts.apiserver.value : null);
    if (restart) lines.push(`kube-apiserver reads the audit files only at startup and its manifest did not change; restart it: ${restart}`);
    lines.push('Rollback (as root, one command per file):', ...(extra.rollback ?? []).map((c) => `  ${c}`));
  }
  return lines.join('\n') + '\n';
}

export function renderFixJson(s: FixSummary, extra: FixResultExtra): string {
  const doc = {
    schemaVersion: 1,
    root: s.root,
    stamp: s.stamp,
    mode: s.apply ? 'apply' : 'plan',
    nothingToChange: Boolean(extra.nothing),
    fixes: s.plan.outcomes.map((o) => ({
      id: o.id,
      state: stateOf(o, s, extra),
      why: o.why,
      checks: o.checks,
      artifacts: o.artifacts.map((a) => ({
        kind: a.kind,
        hostPath: a.hostPath,
        ...(a.kind === 'move' ? { from: a.from } : { durable: Boolean(a.durable) }),
        description: a.description,
        changes: s.pending.includes(a),
      })),
      refusal: o.refusal,
      withheld: o.withheld,
      deferred: o.deferred,
      remaining: o.remaining,
    })),
    out: extra.out ?? null,
    applied: extra.applied ?? null,
    checksAfter: extra.after?.checks.map((c) => ({ id: c.id, status: c.status, summary: c.summary })) ?? null,
    rollback: extra.rollback ?? null,
    restart: restartCommand(s.pending, s.facts.apiserver?.ok ? s.facts.apiserver.value : null),
    awaitingRestart: awaitingRestart(s),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

// Which fixes run and what they produce. Pure: facts and the doctor's report in, a plan out.
import { CHECKS } from '../checks/index.js';
import type { CheckResult, Report, Status } from '../model/report.js';
import { auditLayout } from './generators/layout.js';
import { GENERATORS } from './generators/index.js';
import {
  FILE_WRITER,
  FIX_IDS,
  isFixId,
  isRefusal,
  type Artifact,
  type FixId,
  type FixOptions,
  type GatheredFacts,
  type Refusal,
} from './types.js';

export interface FixOutcome {
  id: FixId;
  /** Why it runs: failing checks, --only, or another fix that needs it. */
  why: string;
  /** Checks (failing or warning before the fix) that this fix is meant to turn green. */
  checks: { id: string; status: Status }[];
  refusal: Refusal | null;
  artifacts: Artifact[];
  /** Set when verification withheld the fix: what still failed. */
  withheld: string | null;
  /** Checks it leaves failing on purpose, and why (a flag whose file another fix could not write). */
  deferred: string[];
  /** Failures verification found that the fix cannot change (the endpoint's certificate name): the
   * fix is offered, and fix exits 3 because the node will not work yet. */
  remaining: string[];
}

export interface FixPlan {
  outcomes: FixOutcome[];
  /** Every artifact to offer, deduplicated by target. */
  artifacts: Artifact[];
  /** The audit files of the layout and the fix that writes each. */
  files: { hostPath: string; fix: FixId }[];
  /** Failing checks judged from the apiserver's logs: they clear only when it restarts. */
  awaitingRestart: CheckResult[];
  /** The checks as they judged the plan applied to a copy of the node (and, with a new webhook
   * kubeconfig, the live endpoint); null until verified. */
  verified: Report | null;
}

const FROM_LOGS = new Set<string>(CHECKS.filter((c) => c.fromLogs).map((c) => c.id));

const failingFromLogs = (report: Report) => report.checks.filter((c) => FROM_LOGS.has(c.id) && c.status === 'fail');

/** Fix ids named by failing or warning checks, with those checks. A check judged from logs only
 * joins a fix that a check of the node's files names too: on its own it describes the last start,
 * and its cause may already be corrected on disk (a restart is what is missing, not a file). */
export function fixTriggers(report: Report): Map<FixId, { id: string; status: Status }[]> {
  const out = new Map<FixId, { id: string; status: Status }[]>();
  const named = report.checks.filter(
    (c) => (c.status === 'fail' || c.status === 'warn') && c.remediation?.fix && isFixId(c.remediation.fix),
  );
  for (const c of [...named.filter((x) => !FROM_LOGS.has(x.id)), ...named.filter((x) => FROM_LOGS.has(x.id))]) {
    const fix = c.remediation!.fix as FixId;
    if (FROM_LOGS.has(c.id) && !out.has(fix)) continue;
    out.set(fix, [...(out.get(fix) ?? []), { id: c.id, status: c.status }]);
  }
  return out;
}

/** @param excluded fixes verification withheld: not pulled in again as another fix's dependency. */
export function planFixes(
  facts: GatheredFacts,
  requested: FixId[],
  report: Report,
  opts: FixOptions,
  excluded: ReadonlySet<FixId> = new Set(),
): FixPlan {
  const triggers = fixTriggers(report);
  const why = new Map<FixId, string>(
    requested.map((id) => [
      id,
      triggers.has(id)
        ? `asked for by ${triggers
            .get(id)!
            .map((c) => `${c.id} (${c.status})`)
            .join(', ')}`
        : 'requested on the command line',
    ]),
  );
  const api = facts.apiserver?.ok ? facts.apiserver.value : null;
  const relocate = why.has('manifest-patch');
  const layout = api ? auditLayout(api, relocate, opts.restore) : null;
  // A file manifest-patch points a flag at must come from somewhere: a copy of the old file when it
  // was readable, otherwise a freshly generated one (never over a file this user cannot read).
  if (layout && relocate) {
    for (const [fix, target, fact] of [
      ['audit-policy', layout.policy, facts.policy],
      ['webhook-kubeconfig', layout.webhook, facts.webhookConfig],
    ] as const) {
      const missing = fact && !fact.ok && (target.changeFlag || fact.error.reason === 'not-found');
      if (missing && !why.has(fix)) why.set(fix, `needed by manifest-patch: no readable file to put at ${target.hostPath}`);
    }
  }
  const selected = new Set([...why.keys()].filter((id) => !excluded.has(id)));
  const seen = new Set<string>();
  const outcomes: FixOutcome[] = [];
  for (const g of GENERATORS) {
    if (!selected.has(g.id)) continue;
    const result = g.generate(facts, layout, opts, seen);
    const artifacts = isRefusal(result) ? [] : result.filter((a) => !seen.has(a.hostPath));
    for (const a of artifacts) seen.add(a.hostPath);
    outcomes.push({
      id: g.id,
      why: why.get(g.id)!,
      checks: triggers.get(g.id) ?? [],
      refusal: isRefusal(result) ? result : null,
      artifacts,
      withheld: null,
      deferred: [],
      remaining: [],
    });
  }
  outcomes.sort((a, b) => FIX_IDS.indexOf(a.id) - FIX_IDS.indexOf(b.id));
  const files = layout
    ? [
        { hostPath: layout.policy.hostPath, fix: FILE_WRITER.policy },
        { hostPath: layout.webhook.hostPath, fix: FILE_WRITER['webhook-config'] },
      ]
    : [];
  return { outcomes, artifacts: outcomes.flatMap((o) => o.artifacts), files, awaitingRestart: failingFromLogs(report), verified: null };
}

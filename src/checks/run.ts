// Runs the selected checks on a fact source: asks it only for the facts they need, evaluates every
// check as soon as its facts are in, and streams progress events.
import { FactUnavailable, factReader, type Check } from './check.js';
import type { CheckResult, EngineEvent, FactError, Finding, Report, Summary, Target } from '../model/report.js';
import type { Facts, FactSource } from '../model/facts.js';

/** A cancelled check's finding (q, Esc, Ctrl-C). */
const interrupted = (): FactError => ({ reason: 'interrupted', message: 'interrupted before it finished' });

/** Settles when the signal aborts; never without one. */
const whenAborted = (signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => (signal?.aborted ? resolve() : signal?.addEventListener('abort', () => resolve(), { once: true })));

export interface RunOptions {
  offline: boolean;
  now: Date;
  tool: { name: string; version: string };
  target: Omit<Target, 'manifest' | 'distribution' | 'kubernetesVersion'>;
}

/** Runs the checks. When `signal` aborts, it returns at once: the checks that had not finished
 * are `unknown` ("interrupted"), and the report says it was interrupted. */
export async function runChecks(
  checks: Check[],
  source: FactSource,
  opts: RunOptions,
  onEvent: (event: EngineEvent) => void = () => {},
  signal?: AbortSignal,
): Promise<Report> {
  // After a cancel the facts still settle (as interrupted) and would each start a check and an
  // event to redact and draw: work nobody waits for, done while the user waits for the exit.
  const live = (e: EngineEvent) => void (signal?.aborted ? undefined : onEvent(e));
  source.watch?.(live);
  const finished = new Map<string, CheckResult>();
  const all = Promise.all(checks.map(async (check) => finished.set(check.id, await runOne(check, source, opts, live, signal))));
  await Promise.race([all, whenAborted(signal)]);
  const cut = signal?.aborted === true && finished.size < checks.length;
  const results = checks.map((c) => finished.get(c.id) ?? toResult(c, unavailable(interrupted()), 0));
  const apiserver = cut ? null : await source.fact('apiserver');
  const report: Report = {
    schemaVersion: 1,
    tool: opts.tool,
    target: describeTarget(apiserver, opts),
    checks: results,
    summary: summarize(results),
    ...(cut ? { interrupted: true as const } : {}),
  };
  const why = apiserver ? notChecked(apiserver, results, checks) : null;
  if (why) report.notChecked = why;
  onEvent({ type: 'done', report });
  return report;
}

/** Why the target could not be checked at all, or null: the node's apiserver configuration could
 * not be read or parsed (so every audit check is blind), and no check that looks beyond the node's
 * files reached a verdict (a cluster-mode run from a workstation has no local apiserver but does
 * check the cluster). */
function notChecked(apiserver: Facts['apiserver'], results: CheckResult[], checks: Check[]): string | null {
  if (apiserver.ok || apiserver.error.reason === 'not-applicable') return null;
  const remote = new Set<string>(checks.filter((c) => c.network).map((c) => c.id));
  const verdict = results.some((r) => remote.has(r.id) && r.status !== 'skip' && r.status !== 'unknown');
  return verdict ? null : apiserver.error.message;
}

async function runOne(
  check: Check,
  source: FactSource,
  opts: RunOptions,
  onEvent: (e: EngineEvent) => void,
  signal: AbortSignal | undefined,
): Promise<CheckResult> {
  const started = performance.now();
  onEvent({ type: 'check-start', id: check.id, title: check.title });
  let finding: Finding;
  if (check.network && opts.offline) {
    finding = { status: 'skip', summary: 'skipped: --offline was given and this check needs the network' };
  } else {
    const facts: Partial<Facts> = {};
    await Promise.all(check.needs.map(async (key) => void (facts[key] = (await source.fact(key)) as never)));
    finding = signal?.aborted ? unavailable(interrupted()) : evaluateSafely(check, facts, opts.now);
  }
  const result = toResult(check, finding, Math.round(performance.now() - started));
  onEvent({ type: 'check-done', result });
  return result;
}

/** A check that throws, or reads a fact that is missing, becomes skip/unknown: never a crash. */
export function evaluateSafely(check: Check, facts: Partial<Facts>, now: Date): Finding {
  try {
    return check.evaluate(factReader(facts, now));
  } catch (err) {
    if (err instanceof FactUnavailable) return unavailable(err.error);
    const message = err instanceof Error ? err.message : String(err);
    return {
      status: 'unknown',
      summary: `the check could not finish: ${message}`,
      remediation: { text: 'This is a bug in prisma-audit; please report it with `prisma-audit bundle`.' },
    };
  }
}

function unavailable(error: FactError): Finding {
  if (error.reason === 'not-applicable') return { status: 'skip', summary: error.message };
  return {
    status: 'unknown',
    summary: `could not look: ${error.message}`,
    remediation: error.hint ? { text: error.hint } : undefined,
  };
}

function toResult(check: Check, finding: Finding, durationMs: number): CheckResult {
  const r = finding.remediation;
  return {
    id: check.id,
    title: check.title,
    status: finding.status,
    summary: finding.summary,
    evidence: finding.evidence ?? [],
    remediation: r ? { text: r.text, commands: r.commands ?? [], fix: r.fix ?? null, ...(r.docs ? { docs: r.docs } : {}) } : null,
    durationMs,
    ...(finding.hostPaths ? { hostPaths: finding.hostPaths } : {}),
  };
}

export function summarize(results: CheckResult[]): Summary {
  const summary: Summary = { pass: 0, warn: 0, fail: 0, skip: 0, unknown: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}

function describeTarget(apiserver: Facts['apiserver'] | null, opts: RunOptions): Target {
  const value = apiserver?.ok ? apiserver.value : null;
  return {
    ...opts.target,
    manifest: value?.file ?? null,
    distribution: value?.distribution ?? null,
    kubernetesVersion: (value?.upgradeTo ? value.upgradeFrom : value?.kubernetesVersion) ?? null,
    ...(value?.upgradeTo ? { upgradeTo: value.upgradeTo } : {}),
  };
}

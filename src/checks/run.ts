// Runs the selected checks on a fact source: asks it only for the facts they need, evaluates every
// check as soon as its facts are in, and streams progress events.
import { FactUnavailable, factReader, type Check } from './check.js';
import type { CheckResult, EngineEvent, FactError, Finding, Report, Summary, Target } from '../model/report.js';
import type { Facts, FactSource } from '../model/facts.js';

export interface RunOptions {
  offline: boolean;
  now: Date;
  tool: { name: string; version: string };
  target: Omit<Target, 'manifest' | 'distribution' | 'kubernetesVersion'>;
}

export async function runChecks(
  checks: Check[],
  source: FactSource,
  opts: RunOptions,
  onEvent: (event: EngineEvent) => void = () => {},
): Promise<Report> {
  const results = await Promise.all(checks.map((check) => runOne(check, source, opts, onEvent)));
  const report: Report = {
    schemaVersion: 1,
    tool: opts.tool,
    target: await describeTarget(source, opts),
    checks: results,
    summary: summarize(results),
  };
  onEvent({ type: 'done', report });
  return report;
}

async function runOne(check: Check, source: FactSource, opts: RunOptions, onEvent: (e: EngineEvent) => void): Promise<CheckResult> {
  const started = performance.now();
  onEvent({ type: 'check-start', id: check.id, title: check.title });
  let finding: Finding;
  if (check.network && opts.offline) {
    finding = { status: 'skip', summary: 'skipped: --offline was given and this check needs the network' };
  } else {
    const facts: Partial<Facts> = {};
    await Promise.all(check.needs.map(async (key) => void (facts[key] = (await source.fact(key)) as never)));
    finding = evaluateSafely(check, facts, opts.now);
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
  };
}

export function summarize(results: CheckResult[]): Summary {
  const summary: Summary = { pass: 0, warn: 0, fail: 0, skip: 0, unknown: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}

async function describeTarget(source: FactSource, opts: RunOptions): Promise<Target> {
  const apiserver = await source.fact('apiserver');
  const value = apiserver.ok ? apiserver.value : null;
  return {
    ...opts.target,
    manifest: value?.file ?? null,
    distribution: value?.distribution ?? null,
    kubernetesVersion: value?.kubernetesVersion ?? null,
  };
}

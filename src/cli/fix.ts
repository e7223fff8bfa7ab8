// `prisma-audit fix`: run the doctor's collectors and checks, plan the fixes the failing checks name,
// verify the plan with the same checks, then write it to --out or (with --apply) to the node.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { CHECKS } from '../checks/index.js';
import { liveFacts, runChecks, type FactSource, type RunOptions } from '../engine/run.js';
import type { Report } from '../engine/types.js';
import { COLLECTORS } from '../facts/index.js';
import type { FactKey } from '../facts/types.js';
import { fixTriggers, planFixes, type FixOutcome, type FixPlan } from '../fixes/plan.js';
import { checkPlan, judgePlan } from '../fixes/verify.js';
import { BACKUP_DIR, FIX_IDS, timestamp, type Artifact, type FixId, type FixOptions, type GatheredFacts } from '../fixes/types.js';
import { TargetChanged, applyArtifacts, readCurrent, readsFrom, rollbackCommand, type CurrentFile } from '../io/fix-writer.js';
import { writeOutFolder } from '../io/fix-out.js';
import { EXIT } from '../report/exit-codes.js';
import { UsageError } from './args.js';
import type { FixCommandOptions } from './fix-args.js';
import { renderFixJson, renderFixText, type FixResultExtra } from './fix-report.js';
import { TOOL } from './tool.js';

export interface FixIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  cwd: string;
}

async function gatherAll(source: FactSource): Promise<GatheredFacts> {
  const keys = Object.keys(COLLECTORS) as FactKey[];
  return Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await source.fact(k)])));
}

/** Plans, verifies, and re-plans without the fixes verification withheld (a withheld fix can take
 * others with it: a policy moved by manifest-patch needs the patch). Withheld fixes stay in the
 * outcomes, without artifacts, so the user sees why. */
async function settlePlan(facts: GatheredFacts, requested: FixId[], before: Report, opts: Omit<FixOptions, 'selected'>, root: string, runOpts: RunOptions): Promise<FixPlan> {
  const withheld: FixOutcome[] = [];
  let plan: FixPlan = planFixes(facts, requested, before, opts);
  for (let round = 0; round < 3 && plan.artifacts.some((a) => a.kind === 'move' || !a.durable); round++) {
    const after = await checkPlan(plan, { root, facts, kubernetesVersion: null, runOpts });
    const bad = after ? judgePlan(plan, before, after) : new Map<FixId, string>();
    if (bad.size === 0) break;
    for (const o of plan.outcomes) if (bad.has(o.id)) withheld.push({ ...o, artifacts: [], withheld: bad.get(o.id)! });
    const excluded = new Set(withheld.map((o) => o.id));
    plan = planFixes(facts, requested.filter((id) => !excluded.has(id)), before, opts, excluded);
  }
  const outcomes = [...plan.outcomes, ...withheld].sort((a, b) => FIX_IDS.indexOf(a.id) - FIX_IDS.indexOf(b.id));
  return { ...plan, outcomes };
}

/** Node artifacts in apply order: files and mounts first, moves, the apiserver manifest last. */
function applyOrder(artifacts: Artifact[], manifest: string | null): Artifact[] {
  const rank = (a: Artifact) => (a.hostPath === manifest ? 2 : a.kind === 'move' ? 1 : 0);
  return artifacts.filter((a) => a.kind === 'move' || !a.durable).sort((a, b) => rank(a) - rank(b));
}

/** Asks on a terminal; without one, --apply needs --yes. Returns why it may not go on, or null. */
async function refuseWithoutConsent(opts: FixCommandOptions, io: FixIo, count: number, root: string): Promise<string | null> {
  if (opts.yes) return null;
  if (!io.stdin.isTTY) return '--apply changes files on the node; confirm with --yes when stdin is not a terminal (nothing was changed)';
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const answer = await rl.question(`Apply ${count} change(s) to the node under ${root}? [y/N] `);
    return /^y(es)?$/i.test(answer.trim()) ? null : 'not confirmed; nothing was changed';
  } finally {
    rl.close();
  }
}

/** Reads every target once (its sha256 guards the apply), drops what is already in place, and
 * withholds a fix whose target exists but is not a regular file (a directory left by a hostPath). */
async function pendingChanges(plan: FixPlan, root: string, manifest: string | null) {
  const ordered = applyOrder(plan.artifacts, manifest);
  const read = new Map<string, CurrentFile>();
  for (const a of ordered) read.set(readsFrom(a), await readCurrent(root, readsFrom(a)));
  for (const o of plan.outcomes) {
    const blocked = o.artifacts.find((a) => a.kind === 'write' && !a.durable && read.get(a.hostPath)?.sha256?.startsWith('not-a-file'));
    if (blocked) o.withheld = `${blocked.hostPath} exists but is not a regular file; remove it first (rmdir if it is an empty directory)`;
  }
  const blockedFixes = new Set(plan.outcomes.filter((o) => o.withheld).map((o) => o.id));
  const pending = ordered.filter((a) => !blockedFixes.has(a.fix) && (a.kind === 'move' ? read.get(a.from)!.bytes !== null : read.get(a.hostPath)!.bytes?.toString('utf8') !== a.contents));
  return { read, pending };
}

export async function fix(opts: FixCommandOptions, io: FixIo): Promise<number> {
  const root = path.resolve(io.cwd, opts.root);
  if (!(await fs.stat(root).catch(() => null))?.isDirectory()) throw new UsageError(`--root ${opts.root}: not a directory`);
  const caPem = opts.caFile ? await fs.readFile(path.resolve(io.cwd, opts.caFile), 'latin1').catch((e: Error) => { throw new UsageError(`--ca-file ${opts.caFile}: ${e.message}`); }) : null;
  const now = new Date();
  const stamp = timestamp(now);
  const backupDir = path.posix.join(BACKUP_DIR, stamp);
  // Network checks are left out: a fix is judged on what is on the node.
  const runOpts: RunOptions = { offline: true, now, tool: TOOL, target: { root, demo: false, offline: true } };
  const gather = () => liveFacts({ root, manifest: opts.manifest, kubernetesVersion: null, timeoutMs: 5000, offline: true, now }, COLLECTORS, 15_000);
  const source = gather();
  const before = await runChecks(CHECKS, source, runOpts);
  const facts = await gatherAll(source);
  // A URL or CA given on the command line is a request to rewrite the webhook kubeconfig.
  const asked: FixId[] = opts.webhookUrl || caPem ? ['webhook-kubeconfig'] : [];
  const requested = opts.only ?? [...new Set([...fixTriggers(before).keys(), ...asked])];
  const plan = await settlePlan(facts, requested, before, { webhookUrl: opts.webhookUrl, caPem, now }, root, runOpts);
  const { read, pending } = await pendingChanges(plan, root, facts.apiserver?.ok ? facts.apiserver.value.file : null);
  const durable = plan.artifacts.filter((a) => a.kind === 'write' && a.durable);
  const summary = { root, stamp, before, plan, pending, read, apply: opts.apply };
  const exit = plan.outcomes.some((o) => o.refusal || o.withheld) ? EXIT.fail : EXIT.ok;
  const done = (code: number, extra: FixResultExtra = {}) => {
    io.stdout.write(opts.json ? renderFixJson(summary, extra) : renderFixText(summary, extra));
    return code;
  };
  if (pending.length === 0 && durable.length === 0) return done(exit, { nothing: true });
  // The plan folder is the default result; with --apply it still carries the durable snippets.
  const writePlan = async () => {
    const out = path.resolve(io.cwd, opts.out ?? `prisma-audit-fix-${stamp}`);
    await writeOutFolder(out, { stamp, root, facts, plan, pending, read, backupDir, applied: opts.apply });
    return out;
  };
  if (!opts.apply) return done(exit, { out: await writePlan() });
  if (pending.length === 0) return done(exit, { nothing: true, out: await writePlan() });
  const refusal = await refuseWithoutConsent(opts, io, pending.length, root);
  if (refusal) {
    io.stderr.write(`prisma-audit: ${refusal}\n`);
    return EXIT.usage;
  }
  let applied;
  try {
    applied = await applyArtifacts(root, pending, read, backupDir);
  } catch (err) {
    if (!(err instanceof TargetChanged)) throw err;
    io.stderr.write(`prisma-audit: ${err.message}\n`);
    return EXIT.fail;
  }
  const affected = new Set(plan.outcomes.flatMap((o) => o.checks.map((c) => c.id)));
  const after = await runChecks(CHECKS.filter((c) => affected.has(c.id)), gather(), runOpts);
  return done(exit, { applied, after, rollback: rollbackCommand(root, applied), ...(durable.length > 0 ? { out: await writePlan() } : {}) });
}

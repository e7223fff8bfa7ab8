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
import { renderFixJson, renderFixText } from './fix-report.js';
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

async function confirm(io: FixIo, count: number, root: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const answer = await rl.question(`Apply ${count} change(s) to the node under ${root}? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export async function fix(opts: FixCommandOptions, io: FixIo): Promise<number> {
  const root = path.resolve(io.cwd, opts.root);
  if (!(await fs.stat(root).catch(() => null))?.isDirectory()) throw new UsageError(`--root ${opts.root}: not a directory`);
  const caPem = opts.caFile ? await fs.readFile(path.resolve(io.cwd, opts.caFile), 'latin1').catch((e: Error) => { throw new UsageError(`--ca-file ${opts.caFile}: ${e.message}`); }) : null;
  const now = new Date();
  const stamp = timestamp(now);
  // Network checks are left out: a fix is judged on what is on the node.
  const runOpts: RunOptions = { offline: true, now, tool: TOOL, target: { root, demo: false, offline: true } };
  const source = liveFacts({ root, manifest: opts.manifest, kubernetesVersion: null, timeoutMs: 5000, offline: true, now }, COLLECTORS, 15_000);
  const before = await runChecks(CHECKS, source, runOpts);
  const facts = await gatherAll(source);
  const requested = opts.only ?? [...fixTriggers(before).keys()];
  const plan = await settlePlan(facts, requested, before, { webhookUrl: opts.webhookUrl, caPem, now }, root, runOpts);
  const manifest = facts.apiserver?.ok ? facts.apiserver.value.file : null;
  const read = new Map<string, CurrentFile>();
  for (const a of applyOrder(plan.artifacts, manifest)) read.set(readsFrom(a), await readCurrent(root, readsFrom(a)));
  // A file already as planned, or a stray file already gone, is nothing to change.
  const pending = applyOrder(plan.artifacts, manifest).filter((a) => (a.kind === 'move' ? read.get(a.from)!.bytes !== null : read.get(a.hostPath)!.bytes?.toString('utf8') !== a.contents));
  const durable = plan.artifacts.filter((a) => a.kind === 'write' && a.durable);
  const summary = { root, stamp, before, plan, pending, read, apply: opts.apply };
  const problems = plan.outcomes.some((o) => o.refusal || o.withheld);
  const done = (code: number, extra: Parameters<typeof renderFixText>[1] = {}) => {
    io.stdout.write(opts.json ? renderFixJson(summary, extra) : renderFixText(summary, extra));
    return code;
  };
  const exit = problems ? EXIT.fail : EXIT.ok;
  if (pending.length === 0 && durable.length === 0) return done(exit, { nothing: true });
  if (!opts.apply) {
    const out = path.resolve(io.cwd, opts.out ?? `prisma-audit-fix-${stamp}`);
    await writeOutFolder(out, { stamp, root, facts, plan, pending, read, backupDir: path.posix.join(BACKUP_DIR, stamp) });
    return done(exit, { out });
  }
  if (pending.length === 0) return done(exit, { nothing: true });
  if (!opts.yes) {
    if (!io.stdin.isTTY) {
      io.stderr.write('prisma-audit: --apply changes files on the node; confirm with --yes when stdin is not a terminal (nothing was changed)\n');
      return EXIT.usage;
    }
    if (!(await confirm(io, pending.length, root))) {
      io.stderr.write('prisma-audit: not confirmed; nothing was changed\n');
      return EXIT.usage;
    }
  }
  let applied;
  try {
    applied = await applyArtifacts(root, pending, read, path.posix.join(BACKUP_DIR, stamp));
  } catch (err) {
    if (!(err instanceof TargetChanged)) throw err;
    io.stderr.write(`prisma-audit: ${err.message}\n`);
    return EXIT.fail;
  }
  const affected = new Set(plan.outcomes.flatMap((o) => o.checks.map((c) => c.id)));
  const afterSource = liveFacts({ root, manifest: opts.manifest, kubernetesVersion: null, timeoutMs: 5000, offline: true, now }, COLLECTORS, 15_000);
  const after = await runChecks(CHECKS.filter((c) => affected.has(c.id)), afterSource, runOpts);
  return done(exit, { applied, after, rollback: rollbackCommand(root, applied) });
}

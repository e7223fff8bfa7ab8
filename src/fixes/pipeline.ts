// The fix pipeline: gather, judge, plan, verify on a sparse root, and read the targets.
// Shared by the fix command and the doctor's terminal UI (which previews a fix).
import path from 'node:path';
import { CHECKS } from '../checks/index.js';
import { runChecks, type RunOptions } from '../checks/run.js';
import { gatherAll, gatherNode } from '../facts/context.js';
import type { Report } from '../model/report.js';
import { fixTriggers, planFixes, type FixOutcome, type FixPlan } from './plan.js';
import { checkPlan, judgePlan } from './verify.js';
import { BACKUP_DIR } from '../model/node.js';
import { FIX_IDS, timestamp, type Artifact, type FixId, type FixOptions, type GatheredFacts } from './types.js';
import { readCurrent, readsFrom, type CurrentFile } from './apply.js';
import { writeOutFolder } from './out-folder.js';
import { expectedWebhookUrl, type ConsoleTarget } from '../kube/console-target.js';
import { liveChainFor } from './live-chain.js';
import { adoptOrphans, type RestoreChooser } from './restore-orphans.js';

export interface PlanRequest {
  root: string;
  manifest: string | null;
  /** Fix ids; null: every fix a failing or warning check names. */
  only: FixId[] | null;
  webhookUrl: string | null;
  caPem: string | null;
  now: Date;
  /** Without the network the files are judged alone: no probe, no live chain. */
  offline: boolean;
  timeoutMs: number;
  /** --console: the webhook URL the console expects (prisma-webhook-url, and the fix's server). */
  console: ConsoleTarget | null;
  /** Name and version for the reports. */
  tool: RunOptions['tool'];
  /** --use: host paths of orphaned audit files to restore the missing flags to. */
  use?: string[];
  /** Asks which orphaned file to restore when several could be; absent: list them and refuse. */
  choose?: RestoreChooser | null;
  /** --upgrade-to: plan and verify as that version would judge. */
  upgradeTo?: string | null;
  /** --replace-webhook. */
  replaceWebhook?: boolean;
}

export interface PlannedFix {
  root: string;
  stamp: string;
  backupDir: string;
  runOpts: RunOptions;
  before: Report;
  facts: GatheredFacts;
  plan: FixPlan;
  /** Node artifacts that change something, in apply order (manifest last). */
  pending: Artifact[];
  /** What each target held when it was read (its sha256 guards --apply). */
  read: Map<string, CurrentFile>;
  durable: Artifact[];
}

/** Plans, verifies, and re-plans without the fixes verification withheld (a withheld fix can take
 * others with it: a policy moved by manifest-patch needs the patch). Withheld fixes stay in the
 * outcomes, without artifacts, so the user sees why. */
async function settlePlan(
  facts: GatheredFacts,
  requested: FixId[],
  before: Report,
  opts: FixOptions,
  root: string,
  runOpts: RunOptions,
  timeoutMs: number,
): Promise<FixPlan> {
  const withheld: FixOutcome[] = [];
  let plan: FixPlan = planFixes(facts, requested, before, opts);
  let verified: Report | null = null;
  for (let round = 0; round < 3 && plan.artifacts.some((a) => a.kind === 'move' || !a.durable); round++) {
    const after = await checkPlan(plan, {
      root,
      facts,
      kubernetesVersion: facts.apiserver?.ok ? (facts.apiserver.value.upgradeTo ?? null) : null,
      runOpts,
      timeoutMs,
      live: opts.liveChain !== null,
    });
    const bad = after ? judgePlan(plan, before, after) : new Map<FixId, string>();
    verified = after;
    if (bad.size === 0) break;
    for (const o of plan.outcomes) if (bad.has(o.id)) withheld.push({ ...o, artifacts: [], withheld: bad.get(o.id)! });
    const excluded = new Set(withheld.map((o) => o.id));
    plan = planFixes(
      facts,
      requested.filter((id) => !excluded.has(id)),
      before,
      opts,
      excluded,
    );
  }
  const outcomes = [...plan.outcomes, ...withheld].sort((a, b) => FIX_IDS.indexOf(a.id) - FIX_IDS.indexOf(b.id));
  return { ...plan, outcomes, verified };
}

/** Node artifacts in apply order: files and mounts first, moves, the apiserver manifest last. */
function applyOrder(artifacts: Artifact[], manifest: string | null): Artifact[] {
  const rank = (a: Artifact) => (a.hostPath === manifest ? 2 : a.kind === 'move' ? 1 : 0);
  return artifacts.filter((a) => a.kind === 'move' || !a.durable).sort((a, b) => rank(a) - rank(b));
}

/** The text each file had when the collectors read it: what the generators worked from. */
function sourceTexts(facts: GatheredFacts): Map<string, string> {
  const texts = new Map<string, string>();
  if (facts.apiserver?.ok) texts.set(facts.apiserver.value.file, facts.apiserver.value.text);
  for (const f of [facts.policy, facts.webhookConfig]) if (f?.ok) texts.set(f.value.path, f.value.text);
  return texts;
}

/** Reads every target once (its sha256 guards the apply), drops what is already in place, and
 * withholds a fix whose target cannot be replaced (a directory left by a hostPath, unreadable) or
 * changed after the generators read it. */
async function pendingChanges(plan: FixPlan, root: string, facts: GatheredFacts) {
  const ordered = applyOrder(plan.artifacts, facts.apiserver?.ok ? facts.apiserver.value.file : null);
  const read = new Map<string, CurrentFile>();
  for (const a of ordered) read.set(readsFrom(a), await readCurrent(root, readsFrom(a)));
  const sources = sourceTexts(facts);
  const changed = (p: string) => sources.has(p) && read.get(p)?.bytes?.toString('utf8') !== sources.get(p);
  for (const o of plan.outcomes) {
    const blocked = o.artifacts.map((a) => (a.kind === 'move' || !a.durable ? read.get(readsFrom(a))?.blocked : null)).find(Boolean);
    const moved = o.artifacts.find((a) => (a.kind === 'move' || !a.durable) && changed(readsFrom(a)));
    if (blocked) o.withheld = blocked;
    else if (moved) o.withheld = `${readsFrom(moved)} changed while the fix was being planned; run fix again`;
  }
  const blockedFixes = new Set(plan.outcomes.filter((o) => o.withheld).map((o) => o.id));
  const pending = ordered.filter(
    (a) =>
      !blockedFixes.has(a.fix) &&
      (a.kind === 'move' ? read.get(a.from)!.bytes !== null : read.get(a.hostPath)!.bytes?.toString('utf8') !== a.contents),
  );
  return { read, pending };
}

/** The webhook URL the console expects, or why --console could not tell it. */
function fromConsole(facts: GatheredFacts, asked: boolean): Pick<FixOptions, 'consoleWebhookUrl' | 'consoleProblem'> {
  if (!asked) return { consoleWebhookUrl: null, consoleProblem: null };
  const fact = facts.prismaSettings;
  if (!fact?.ok)
    return { consoleWebhookUrl: null, consoleProblem: `the console could not be read: ${fact?.error.message ?? 'not gathered'}` };
  const { console, webhookUrlSuffix } = fact.value;
  if (!webhookUrlSuffix)
    return {
      consoleWebhookUrl: null,
      consoleProblem: `the console ${console} has no webhook URL yet: Kubernetes auditing is not enabled in Defend > Access > Kubernetes`,
    };
  return { consoleWebhookUrl: expectedWebhookUrl(console, webhookUrlSuffix), consoleProblem: null };
}

export async function planOnNode(req: PlanRequest): Promise<PlannedFix> {
  const stamp = timestamp(req.now);
  const runOpts: RunOptions = {
    offline: req.offline,
    now: req.now,
    tool: req.tool,
    target: { root: req.root, demo: false, offline: req.offline },
  };
  const source = gatherNode(req);
  const before = await runChecks(CHECKS, source, runOpts);
  const { restore, facts } = await adoptOrphans(await gatherAll(source), req.root, req.use ?? [], req.choose ?? null);
  const consoleSays = fromConsole(facts, req.console !== null);
  const liveChain = req.offline
    ? null
    : await liveChainFor(facts, req.webhookUrl ?? consoleSays.consoleWebhookUrl, req.root, req.timeoutMs);
  // A URL or CA given on the command line is a request to rewrite the webhook kubeconfig.
  const asked: FixId[] = req.webhookUrl || req.caPem ? ['webhook-kubeconfig'] : [];
  const requested = req.only ?? [...new Set([...fixTriggers(before).keys(), ...asked])];
  const opts: FixOptions = {
    webhookUrl: req.webhookUrl,
    ...consoleSays,
    caPem: req.caPem,
    now: req.now,
    liveChain,
    restore,
    replaceWebhook: req.replaceWebhook ?? false,
  };
  const plan = await settlePlan(facts, requested, before, opts, req.root, runOpts, req.timeoutMs);
  const { read, pending } = await pendingChanges(plan, req.root, facts);
  const durable = plan.artifacts.filter((a) => a.kind === 'write' && a.durable);
  return { root: req.root, stamp, backupDir: path.posix.join(BACKUP_DIR, stamp), runOpts, before, facts, plan, pending, read, durable };
}

/** Where the plan folder goes without --out: a plan into ./prisma-audit-fix-<stamp>/; the record of
 * an --apply next to its backups (<root>/var/backups/prisma-audit/<stamp>-plan/, root-only), never
 * into whatever directory the user stands in. */
export function defaultPlanFolder(p: Pick<PlannedFix, 'root' | 'stamp' | 'backupDir'>, cwd: string, applied: boolean): string {
  return applied ? path.join(p.root, `${p.backupDir}-plan`) : path.resolve(cwd, `prisma-audit-fix-${p.stamp}`);
}

/** Writes the plan folder (--out, or the default above); returns its path. */
export async function writePlanFolder(p: PlannedFix, cwd: string, out: string | null, applied: boolean): Promise<string> {
  const dir = out === null ? defaultPlanFolder(p, cwd, applied) : path.resolve(cwd, out);
  await writeOutFolder(dir, {
    stamp: p.stamp,
    root: p.root,
    facts: p.facts,
    plan: p.plan,
    pending: p.pending,
    read: p.read,
    backupDir: p.backupDir,
    applied,
  });
  return dir;
}

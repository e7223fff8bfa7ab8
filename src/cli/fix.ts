// `prisma-audit fix`: plan the fixes the failing checks name (verified with the same checks), then
// write them to a plan folder or, with --apply and consent, to the node.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { CHECKS } from '../checks/index.js';
import { runChecks } from '../checks/run.js';
import { outFolderProblem } from '../fixes/out-folder.js';
import { TargetChanged, applyArtifacts, rollbackCommand } from '../fixes/apply.js';
import { EXIT } from '../report/exit-codes.js';
import { UsageError } from './usage.js';
import { TOOL } from './tool.js';
import { consoleTarget } from './cluster-options.js';
import type { FixCommandOptions } from './fix-args.js';
import { planOnNode, writePlanFolder } from '../fixes/pipeline.js';
import { gatherNode } from '../facts/context.js';
import { renderFixJson, renderFixText, type FixResultExtra } from '../report/fix.js';

export interface FixIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  cwd: string;
  /** PRISMA_TOKEN, for --console. */
  env: NodeJS.ProcessEnv;
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

export async function fix(opts: FixCommandOptions, io: FixIo): Promise<number> {
  const root = path.resolve(io.cwd, opts.root);
  if (!(await fs.stat(root).catch(() => null))?.isDirectory()) throw new UsageError(`--root ${opts.root}: not a directory`);
  const outProblem = opts.out === null ? null : await outFolderProblem(path.resolve(io.cwd, opts.out));
  if (outProblem) throw new UsageError(outProblem);
  const caPem = opts.caFile ? await fs.readFile(path.resolve(io.cwd, opts.caFile), 'latin1').catch((e: Error) => { throw new UsageError(`--ca-file ${opts.caFile}: ${e.message}`); }) : null;
  const prismaConsole = await consoleTarget(opts.cluster, io.env, opts.timeoutMs);
  const now = new Date();
  const node = { root, manifest: opts.manifest, now, offline: opts.offline, timeoutMs: opts.timeoutMs, console: prismaConsole };
  const planned = await planOnNode({ ...node, only: opts.only, webhookUrl: opts.webhookUrl, caPem, tool: TOOL });
  const { plan, pending, read, durable, backupDir, runOpts } = planned;
  const summary = { ...planned, apply: opts.apply };
  // Not everything is fixed when a fix could not run, leaves a failure it cannot change, or a
  // failing check has no fix at all and verification did not see it pass with the plan (a
  // webhook that answered 404 for a stale suffix answers 200 with the console's URL).
  const passesAfter = (id: string) => ['pass', 'warn'].includes(plan.verified?.checks.find((c) => c.id === id)?.status ?? '');
  const unfixed = plan.outcomes.some((o) => o.refusal || o.withheld || o.remaining.length > 0) || planned.before.checks.some((c) => c.status === 'fail' && !c.remediation?.fix && !passesAfter(c.id));
  const exit = unfixed ? EXIT.fail : EXIT.ok;
  const done = (code: number, extra: FixResultExtra = {}) => {
    io.stdout.write(opts.json ? renderFixJson(summary, extra) : renderFixText(summary, extra));
    return code;
  };
  if (pending.length === 0 && durable.length === 0) return done(exit, { nothing: true });
  // The plan folder is the default result; with --apply it still carries the durable snippets.
  const writePlan = () => writePlanFolder(planned, io.cwd, opts.out, opts.apply);
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
  const after = await runChecks(CHECKS.filter((c) => affected.has(c.id)), gatherNode(node), runOpts);
  return done(exit, { applied, after, rollback: rollbackCommand(root, applied), ...(durable.length > 0 ? { out: await writePlan() } : {}) });
}

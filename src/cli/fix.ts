// `prisma-audit fix`: plan the fixes the failing checks name (verified with the same checks), then
// write them to a plan folder or, with --apply and consent, to the node.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { CHECKS } from '../checks/index.js';
import { runChecks } from '../checks/run.js';
import { outFolderProblem } from '../fixes/out-folder.js';
import { ApplyFailed, TargetChanged, applyArtifacts, rollbackCommands } from '../fixes/apply.js';
import { EXIT } from '../report/exit-codes.js';
import { UsageError } from './usage.js';
import { requireFiles, requirePath } from './inputs.js';
import { pendingDiffs } from './fix-preview.js';
import { TOOL } from './tool.js';
import { consoleTarget } from './cluster-options.js';
import type { FixCommandOptions } from './fix-args.js';
import { planOnNode, writePlanFolder } from '../fixes/pipeline.js';
import { gatherNode } from '../facts/context.js';
import { RestoreInputError, type RestoreChooser } from '../fixes/restore-orphans.js';
import { describeOrphan } from '../checks/rules.js';
import { renderFixJson, renderFixText, type FixResultExtra } from '../report/fix.js';

export interface FixIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  cwd: string;
  /** PRISMA_TOKEN, for --console. */
  env: NodeJS.ProcessEnv;
}

/** Asks on a terminal, after showing the plan and every diff; without one, --apply needs --yes.
 * Returns why it may not go on (and the exit code), or null. */
async function refuseWithoutConsent(
  opts: FixCommandOptions,
  io: FixIo,
  planned: Planned,
  root: string,
): Promise<{ why: string; code: number } | null> {
  if (opts.yes) return null;
  if (!io.stdin.isTTY)
    return {
      why: '--apply changes files on the node; confirm with --yes when stdin is not a terminal (nothing was changed)',
      code: EXIT.usage,
    };
  io.stderr.write(`${renderFixText({ ...planned, apply: false }, {}).trimEnd()}\n\n${pendingDiffs(planned).join('\n')}\n\n`);
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  // Ctrl-C at the prompt: nothing is written, exit 130.
  const interrupt = new AbortController();
  rl.on('SIGINT', () => interrupt.abort());
  try {
    const answer = await rl.question(`Apply ${planned.pending.length} change(s) to ${root}? [y/N] `, { signal: interrupt.signal });
    return /^y(es)?$/i.test(answer.trim()) ? null : { why: 'not confirmed; nothing was changed', code: EXIT.usage };
  } catch (err) {
    if (!interrupt.signal.aborted) throw err;
    io.stderr.write('\n');
    return { why: 'interrupted; nothing was changed', code: EXIT.interrupted };
  } finally {
    rl.close();
  }
}

type Planned = Awaited<ReturnType<typeof planOnNode>>;

/** On a terminal: lists the candidates and reads a number. */
function terminalChooser(io: FixIo): RestoreChooser | null {
  if (!io.stdin.isTTY) return null;
  return async (q) => {
    const rl = createInterface({ input: io.stdin, output: io.stderr });
    try {
      io.stderr.write(`--${q.flag} is gone, and ${q.candidates.length} ${q.what}s could be restored behind it:\n`);
      q.candidates.forEach((c, i) => io.stderr.write(`  ${i + 1}) ${describeOrphan(c)}\n`));
      const n = Number((await rl.question(`Restore which one? [1-${q.candidates.length}, empty: none] `)).trim());
      return q.candidates[n - 1]?.hostPath ?? null;
    } finally {
      rl.close();
    }
  };
}

export async function fix(opts: FixCommandOptions, io: FixIo): Promise<number> {
  const root = path.resolve(io.cwd, opts.root);
  await requirePath('--root', root, 'directory', opts.root);
  if (opts.manifest) await requirePath('--manifest', path.join(root, opts.manifest), 'file', opts.manifest);
  await requireFiles([
    ['--ca-file', opts.caFile],
    ['--token-file', opts.cluster.tokenFile],
    ['--console-ca', opts.cluster.consoleCa],
  ]);
  const outProblem = opts.out === null ? null : await outFolderProblem(path.resolve(io.cwd, opts.out));
  if (outProblem) throw new UsageError(outProblem);
  const caPem = opts.caFile
    ? await fs.readFile(path.resolve(io.cwd, opts.caFile), 'latin1').catch((e: Error) => {
        throw new UsageError(`--ca-file ${opts.caFile}: ${e.message}`);
      })
    : null;
  const prismaConsole = await consoleTarget(opts.cluster, io.env, opts.timeoutMs);
  const now = new Date();
  const node = {
    root,
    manifest: opts.manifest,
    now,
    offline: opts.offline,
    timeoutMs: opts.timeoutMs,
    console: prismaConsole,
    upgradeTo: opts.upgradeTo,
  };
  const planned = await planOnNode({
    ...node,
    only: opts.only,
    webhookUrl: opts.webhookUrl,
    caPem,
    tool: TOOL,
    use: opts.use,
    choose: terminalChooser(io),
    replaceWebhook: opts.replaceWebhook,
  }).catch((err: unknown) => {
    throw err instanceof RestoreInputError ? new UsageError(err.message) : err;
  });
  const { plan, pending, read, durable, backupDir, runOpts } = planned;
  const summary = { ...planned, apply: opts.apply };
  // Not everything is fixed when a fix could not run, leaves a failure it cannot change, or a
  // failing check has no fix at all and verification did not see it pass with the plan (a
  // webhook that answered 404 for a stale suffix answers 200 with the console's URL).
  const passesAfter = (id: string) => ['pass', 'warn'].includes(plan.verified?.checks.find((c) => c.id === id)?.status ?? '');
  const unfixed =
    plan.outcomes.some((o) => o.refusal || o.withheld || o.remaining.length > 0) ||
    planned.before.checks.some((c) => c.status === 'fail' && !c.remediation?.fix && !passesAfter(c.id));
  const exit = unfixed ? EXIT.fail : EXIT.ok;
  const done = (code: number, extra: FixResultExtra = {}) => {
    io.stdout.write(opts.json ? renderFixJson(summary, extra) : renderFixText(summary, extra));
    return code;
  };
  if (pending.length === 0 && durable.length === 0) return done(exit, { nothing: true });
  // The plan folder is the default result; with --apply it is the record, with the durable snippets.
  const writePlan = () => writePlanFolder(planned, io.cwd, opts.out, opts.apply);
  if (!opts.apply) return done(exit, { out: await writePlan() });
  // Nothing to apply leaves no record; the snippets to merge come with a plan (fix without --apply).
  if (pending.length === 0) return done(exit, { nothing: true, ...(opts.out === null ? {} : { out: await writePlan() }) });
  const refusal = await refuseWithoutConsent(opts, io, planned, root);
  if (refusal) {
    io.stderr.write(`prisma-audit: ${refusal.why}\n`);
    return refusal.code;
  }
  let applied;
  // Ctrl-C between writes undoes what was written instead of leaving a half-changed node.
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  try {
    applied = await applyArtifacts(root, pending, read, backupDir, { signal: interrupt.signal });
  } catch (err) {
    if (err instanceof TargetChanged) {
      io.stderr.write(`prisma-audit: ${err.message}\n`);
      return EXIT.fail;
    }
    // Read-only, full or foreign file systems are the environment, not a bug: say what happened.
    if (err instanceof ApplyFailed) {
      io.stderr.write(`prisma-audit: ${err.message}\n`);
      return err.code === 'ABORT_ERR' ? EXIT.interrupted : EXIT.usage;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
  const affected = new Set(plan.outcomes.flatMap((o) => o.checks.map((c) => c.id)));
  const after = await runChecks(
    CHECKS.filter((c) => affected.has(c.id)),
    gatherNode(node),
    runOpts,
  );
  // Every apply leaves its record (README, diffs, durable snippets) next to its backups.
  return done(exit, { applied, after, rollback: rollbackCommands(root, applied), out: await writePlan() });
}

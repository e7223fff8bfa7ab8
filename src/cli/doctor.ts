// `prisma-audit doctor`: choose checks, gather, judge, render in the chosen mode.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Check } from '../engine/check.js';
import { factDeadlineMs, liveFacts, runChecks, type FactSource, type RunOptions } from '../engine/run.js';
import type { Report } from '../engine/types.js';
import { CHECKS } from '../checks/index.js';
import { COLLECTORS } from '../facts/index.js';
import { redactorFor } from '../facts/secrets.js';
import { exitCodeFor } from '../report/exit-codes.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { frameDocument } from '../fleet/frame.js';
import { makeStyle, wantsColor } from '../report/style.js';
import { renderText } from '../report/text.js';
import type { DoctorOptions, OutputMode } from './args.js';
import { UsageError } from './usage.js';
import { PACKAGE_ROOT, TOOL } from './tool.js';
import type { ConsoleTarget } from '../console/target.js';
import { startDemoConsole } from '../io/demo-console.js';
import { consoleTarget, kubeAccess } from './cluster-options.js';

export const DEMO_ROOT = path.join(PACKAGE_ROOT, 'fixtures/demo/root');

export function selectChecks(only: string[] | null, skip: string[]): Check[] {
  const known = new Set(CHECKS.map((c) => c.id));
  const unknown = [...(only ?? []), ...skip].filter((id) => !known.has(id));
  if (unknown.length > 0) throw new UsageError(`unknown check id ${unknown.map((u) => `"${u}"`).join(', ')}; known ids: ${[...known].join(', ')}`);
  return CHECKS.filter((c) => (only === null || only.includes(c.id)) && !skip.includes(c.id));
}

async function resolveRoot(opts: DoctorOptions): Promise<string> {
  const root = opts.demo ? DEMO_ROOT : path.resolve(opts.root);
  const st = await fs.stat(root).catch(() => null);
  if (!st?.isDirectory()) throw new UsageError(`--root ${opts.root}: not a directory`);
  return root;
}

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

export function chooseMode(opts: DoctorOptions, io: Io): OutputMode {
  if (opts.output) return opts.output;
  const ci = io.env.CI !== undefined && io.env.CI !== '' && io.env.CI !== 'false';
  return io.stdout.isTTY && !ci ? 'pretty' : 'text';
}

interface Run {
  source: FactSource;
  runOpts: RunOptions;
  /** The live node's root; null for a recorded run. */
  root: string | null;
  /** Credentials the user gave (console token), masked even with --show-secrets. */
  credentials: string[];
  /** --console, for the UI's fix key (null for a recorded run). */
  prismaConsole: ConsoleTarget | null;
}

/** --from-bundle: the recorded facts; an unreadable or foreign file is the user's input error. */
async function bundleRun(file: string): Promise<Run> {
  // The archive reader (tar, zlib) loads only for --from-bundle.
  const [{ ArchiveError }, { readRecording, replay }] = await Promise.all([import('../bundle/archive.js'), import('../bundle/replay.js')]);
  try {
    return { ...replay(await readRecording(file), file, TOOL), root: null, credentials: [], prismaConsole: null };
  } catch (err) {
    if (err instanceof ArchiveError) throw new UsageError(`--from-bundle ${file}: ${err.message}`);
    throw err;
  }
}

async function liveRun(opts: DoctorOptions, io: Io): Promise<Run> {
  const root = await resolveRoot(opts);
  const now = new Date();
  const prismaConsole = await consoleTarget(opts.cluster, io.env, opts.timeoutMs);
  const kube = kubeAccess(opts.cluster, io.env, opts.timeoutMs);
  const source: FactSource = liveFacts(
    {
      root,
      manifest: opts.manifest,
      kubernetesVersion: opts.kubernetesVersion,
      timeoutMs: opts.timeoutMs,
      offline: opts.offline,
      now,
      ...(opts.since ? { since: opts.since } : {}),
      logFiles: opts.logFiles,
      fleetPod: opts.fleetPod,
      kube,
      console: prismaConsole,
    },
    COLLECTORS,
    factDeadlineMs(opts.timeoutMs),
  );
  const runOpts: RunOptions = {
    offline: opts.offline,
    now,
    tool: TOOL,
    target: { root: opts.demo ? 'fixtures/demo/root (bundled demo node)' : root, demo: opts.demo, offline: opts.offline },
  };
  return { source, runOpts, root, credentials: prismaConsole ? [prismaConsole.token] : [], prismaConsole };
}

export async function doctor(opts: DoctorOptions, io: Io): Promise<number> {
  // The demo node's console runs on loopback for as long as the demo does.
  const demoConsole = opts.demo && !opts.offline ? await startDemoConsole(path.join(DEMO_ROOT, '../console')) : null;
  try {
    return await runDoctor(opts, io);
  } finally {
    await demoConsole?.close();
  }
}

async function runDoctor(opts: DoctorOptions, io: Io): Promise<number> {
  const checks = selectChecks(opts.only, opts.skip);
  const { source, runOpts, root, credentials, prismaConsole } = opts.fromBundle ? await bundleRun(opts.fromBundle) : await liveRun(opts, io);
  const redactor = await redactorFor(source, io.env, !opts.showSecrets, credentials);
  const mode = chooseMode(opts, io);
  if (mode === 'pretty') {
    // ink's colour support is decided when it loads: settle --no-color/NO_COLOR first.
    if (!(opts.color ?? wantsColor(io.env, true, false))) io.env.FORCE_COLOR = '0';
    const { runPretty } = await import('../ui/run-pretty.js');
    // Fix (f/F) and bundle (b) keys act on the live node, so a recorded run has neither; the fix
    // planner loads only when a fix key is pressed.
    const onFix = root === null ? undefined : async (fix: string | null) => (await import('./fix-preview.js')).previewFix({ root, manifest: opts.manifest, fix, now: new Date(), offline: opts.offline, timeoutMs: opts.timeoutMs, console: prismaConsole }, process.cwd());
    const writeBundle =
      root === null
        ? undefined
        : async () => {
            const { defaultBundleOptions, writeBundleFile } = await import('./bundle.js');
            return (await writeBundleFile(defaultBundleOptions(root, opts.manifest), io.env)).out;
          };
    const report = await runPretty({ checks, source, runOpts, redactor, verbose: opts.verbose, onFix, writeBundle });
    return exitCodeFor(report.summary, opts.strict);
  }
  const report: Report = redactor.value(await runChecks(checks, source, runOpts));
  if (mode === 'json') io.stdout.write(renderJson(report));
  else if (mode === 'json-framed') io.stdout.write(frameDocument(JSON.stringify(report)));
  else if (mode === 'junit') io.stdout.write(renderJunit(report));
  else io.stdout.write(renderText(report, makeStyle(opts.color ?? wantsColor(io.env, Boolean(io.stdout.isTTY), false)), opts.verbose));
  return exitCodeFor(report.summary, opts.strict);
}

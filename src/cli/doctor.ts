// `prisma-audit doctor`: choose the checks, the fact source (this node or a bundle) and the output
// mode; the engine runs them and this renders what it streams.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Check } from '../checks/check.js';
import { CHECKS } from '../checks/index.js';
import { kubeAccess } from '../facts/context.js';
import { liveRun, runDoctor, type DoctorRun } from '../engine/doctor.js';
import { exitCodeFor } from '../report/exit-codes.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { frameDocument } from '../kube/fleet/frame.js';
import { makeStyle, wantsColor } from '../report/style.js';
import { renderText } from '../report/text.js';
import type { DoctorOptions, OutputMode } from './args.js';
import { UsageError } from './usage.js';
import type { Io } from './io.js';
import { PACKAGE_ROOT, TOOL } from './tool.js';
import type { ConsoleTarget } from '../kube/console-target.js';
import { startDemoConsole } from '../facts/demo-console.js';
import { consoleTarget } from './cluster-options.js';

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

export function chooseMode(opts: DoctorOptions, io: Io): OutputMode {
  if (opts.output) return opts.output;
  const ci = io.env.CI !== undefined && io.env.CI !== '' && io.env.CI !== 'false';
  return io.stdout.isTTY && !ci ? 'pretty' : 'text';
}

/** --from-bundle: the recorded facts; an unreadable or foreign file is the user's input error. */
async function bundleRun(file: string): Promise<DoctorRun> {
  // The archive reader (tar, zlib) loads only for --from-bundle.
  const [{ ArchiveError }, { readRecording, replay }] = await Promise.all([import('../bundle/archive.js'), import('../bundle/replay.js')]);
  try {
    return { ...replay(await readRecording(file), file, TOOL), root: null, credentials: [] };
  } catch (err) {
    if (err instanceof ArchiveError) throw new UsageError(`--from-bundle ${file}: ${err.message}`);
    throw err;
  }
}

/** The node's run, with the --console target the UI's fix key needs. */
async function nodeRun(opts: DoctorOptions, io: Io): Promise<{ run: DoctorRun; prismaConsole: ConsoleTarget | null }> {
  const root = await resolveRoot(opts);
  const prismaConsole = await consoleTarget(opts.cluster, io.env, opts.timeoutMs);
  const run = liveRun({
    root,
    manifest: opts.manifest,
    kubernetesVersion: opts.kubernetesVersion,
    timeoutMs: opts.timeoutMs,
    offline: opts.offline,
    now: new Date(),
    since: opts.since,
    logFiles: opts.logFiles,
    fleetPod: opts.fleetPod,
    kube: kubeAccess(opts.cluster, io.env, opts.timeoutMs),
    console: prismaConsole,
    tool: TOOL,
    shownRoot: opts.demo ? 'fixtures/demo/root (bundled demo node)' : root,
    demo: opts.demo,
  });
  return { run, prismaConsole };
}

export async function doctor(opts: DoctorOptions, io: Io): Promise<number> {
  // The demo node's console runs on loopback for as long as the demo does.
  const demoConsole = opts.demo && !opts.offline ? await startDemoConsole(path.join(DEMO_ROOT, '../console')) : null;
  try {
    return await doctorCommand(opts, io);
  } finally {
    await demoConsole?.close();
  }
}

async function doctorCommand(opts: DoctorOptions, io: Io): Promise<number> {
  const checks = selectChecks(opts.only, opts.skip);
  const { run, prismaConsole } = opts.fromBundle ? { run: await bundleRun(opts.fromBundle), prismaConsole: null } : await nodeRun(opts, io);
  const { root, runOpts } = run;
  const mode = chooseMode(opts, io);
  if (mode === 'pretty') {
    // ink's colour support is decided when it loads: settle --no-color/NO_COLOR first.
    if (!(opts.color ?? wantsColor(io.env, true, false))) io.env.FORCE_COLOR = '0';
    const { startPretty } = await import('../ui/run-pretty.js');
    // Fix (f/F) and bundle (b) keys act on the live node, so a recorded run has neither; the fix
    // planner loads only when a fix key is pressed.
    const onFix = root === null ? undefined : async (fix: string | null) => (await import('./fix-preview.js')).previewFix({ root, manifest: opts.manifest, fix, now: new Date(), offline: opts.offline, timeoutMs: opts.timeoutMs, console: prismaConsole }, process.cwd());
    const writeBundle =
      root === null
        ? undefined
        : async () => {
            const { defaultBundleOptions, writeBundleFile } = await import('./bundle.js');
            return (await writeBundleFile(defaultBundleOptions(root, opts.manifest, opts.timeoutMs), io.env)).out;
          };
    const ui = startPretty({ order: checks.map((c) => c.id), tool: runOpts.tool, root: runOpts.target.root, demo: runOpts.target.demo, verbose: opts.verbose, onFix, writeBundle });
    const report = await runDoctor(checks, run, io.env, opts.showSecrets, (e) => ui.push(e));
    await ui.finish();
    return exitCodeFor(report.summary, opts.strict);
  }
  const report = await runDoctor(checks, run, io.env, opts.showSecrets);
  if (mode === 'json') io.stdout.write(renderJson(report));
  else if (mode === 'json-framed') io.stdout.write(frameDocument(JSON.stringify(report)));
  else if (mode === 'junit') io.stdout.write(renderJunit(report));
  else io.stdout.write(renderText(report, makeStyle(opts.color ?? wantsColor(io.env, Boolean(io.stdout.isTTY), false)), opts.verbose));
  return exitCodeFor(report.summary, opts.strict);
}

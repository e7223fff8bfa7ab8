// `prisma-audit doctor`: choose the checks, the fact source (this node or a bundle) and the output
// mode; the engine runs them and this renders what it streams.
import path from 'node:path';
import type { Check } from '../checks/check.js';
import { CHECK_IDS, isCheckId } from '../model/check-ids.js';
import { CHECKS } from '../checks/index.js';
import type { DoctorRun } from '../engine/doctor.js';
import { EXIT, exitCodeFor } from '../report/exit-codes.js';
import type { EngineEvent, Report } from '../model/report.js';
import { initialModel, type RunModel } from '../ui/model.js';
import { eraseLines, paintFirstFrame } from '../ui/first-frame.js';
import { loadUnicodeCells } from '../report/cells.js';
import { fingerprintOf } from '../engine/fingerprint.js';
import { compareReports, differentTarget, type Comparing } from '../report/compare.js';
import { bundleRun } from './bundle-run.js';
import { loadBefore } from './compare-input.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { frameDocument } from '../kube/fleet/frame.js';
import { makeStyle, wantsColor, type Style } from '../report/style.js';
import { renderText } from '../report/text.js';
import type { DoctorOptions, OutputMode } from './args.js';
import { UsageError } from './usage.js';
import { requireFiles, requirePath } from './inputs.js';
import { didYouMean } from './suggest.js';
import type { Io } from './io.js';
import { packageRoot, TOOL } from './tool.js';
import type { ConsoleTarget } from '../kube/console-target.js';
import { demoRoot } from '../facts/demo-node.js';
import { consoleTarget } from './cluster-options.js';
import { endOnceFlushed } from './exit.js';

export function selectChecks(only: string[] | null, skip: string[]): Check[] {
  const unknown = [...(only ?? []), ...skip].filter((id) => !isCheckId(id));
  if (unknown.length > 0) {
    const hint = didYouMean(unknown[0]!, CHECK_IDS);
    throw new UsageError(`unknown check id ${unknown.map((u) => `"${u}"`).join(', ')}${hint || ` (prisma-audit checks lists them)`}`);
  }
  return CHECKS.filter((c) => (only === null || only.includes(c.id)) && !skip.includes(c.id));
}

/** The node root and every file the options name must exist (usage error 2), before anything runs. */
async function resolveRoot(opts: DoctorOptions, env: NodeJS.ProcessEnv): Promise<string> {
  const root = opts.demo ? await demoRoot(packageRoot) : path.resolve(opts.root);
  await requirePath('--root', root, 'directory', opts.root);
  // --manifest is a host path, read under --root.
  if (opts.manifest)
    await requirePath(
      '--manifest',
      path.join(root, opts.manifest),
      'file',
      root === '/' ? opts.manifest : `${opts.manifest} (under --root ${opts.root})`,
    );
  const c = opts.cluster;
  await requireFiles([
    ['--kubeconfig', c.kubeconfig],
    ['--token-file', c.tokenFile],
    ['--console-ca', c.consoleCa],
    ...opts.logFiles.map((f): [string, string] => ['--log-file', f]),
  ]);
  if (c.canary !== undefined && c.kubeconfig === null && c.context === null && !env.KUBECONFIG && !c.cluster) {
    throw new UsageError('--canary needs a cluster: pass --kubeconfig PATH (and --context NAME), set KUBECONFIG, or --cluster');
  }
  if (c.context !== null) await (await import('./kube-context.js')).requireContext(c.context, c.kubeconfig ?? env.KUBECONFIG ?? null, env);
  return root;
}

export function chooseMode(opts: DoctorOptions, io: Io): OutputMode {
  if (opts.output) return opts.output;
  // The same test ink makes (is-in-ci): under it ink draws nothing until it exits, so a UI there
  // would be a blank screen.
  const set = (key: string) => key in io.env && io.env[key] !== '0' && io.env[key] !== 'false';
  const ci = set('CI') || set('CONTINUOUS_INTEGRATION');
  return io.stdout.isTTY && !ci ? 'pretty' : 'text';
}

/** How the report and the UI name the node's root (the bundled demo node has a friendlier name). */
const shownRoot = (opts: DoctorOptions, root: string) => (opts.demo ? 'fixtures/demo/root (bundled demo node)' : root);

/** The node's run. The engine and the collectors load here, after the UI's first frame. */
async function nodeRun(
  opts: DoctorOptions,
  io: Io,
  root: string,
  prismaConsole: ConsoleTarget | null,
  signal: AbortSignal,
): Promise<DoctorRun> {
  const [{ liveRun }, { kubeAccess }] = await Promise.all([import('../engine/doctor.js'), import('../facts/context.js')]);
  return liveRun({
    root,
    manifest: opts.manifest,
    kubernetesVersion: opts.kubernetesVersion,
    upgradeTo: opts.upgradeTo,
    timeoutMs: opts.timeoutMs,
    offline: opts.offline,
    now: new Date(),
    since: opts.since,
    logFiles: opts.logFiles,
    fleetPod: opts.fleetPod,
    kube: kubeAccess(opts.cluster, io.env, opts.timeoutMs),
    console: prismaConsole,
    signal,
    tool: TOOL,
    shownRoot: shownRoot(opts, root),
    demo: opts.demo,
  });
}

export async function doctor(opts: DoctorOptions, io: Io): Promise<number> {
  // The demo node's console runs on loopback for as long as the demo does. Making its keys takes a
  // while (RSA in the thread pool, up to a second): the first frame does not wait for it, the checks do.
  const demoConsole = opts.demo && !opts.offline ? import('../facts/demo-console.js').then((m) => m.startDemoConsole()) : null;
  demoConsole?.catch(() => {}); // awaited below; until then a failure is not "unhandled"
  try {
    return await doctorCommand(opts, io, demoConsole ?? Promise.resolve());
  } finally {
    await (await demoConsole)?.close();
  }
}

/** --compare: the earlier report, refused before anything is shown when it is of another node or
 * cluster (unless --force). */
async function comparing(opts: DoctorOptions, run: DoctorRun): Promise<Comparing | null> {
  if (!opts.compare) return null;
  const before = await loadBefore(opts.compare);
  const forced = differentTarget(before.fingerprint, await fingerprintOf(run.source, run.runOpts.now));
  if (forced && !opts.force)
    throw new UsageError(`--compare ${opts.compare}: not the same target (${forced}); pass --force to compare anyway`);
  return { before, against: opts.compare, forced };
}

const compared = (report: Report, c: Comparing | null): Report =>
  c ? { ...report, comparison: compareReports(c.before, report, c.against, c.forced) } : report;

/** q, Esc or Ctrl-C cancel the run: the first SIGINT aborts every collector (which closes their
 * sockets and child processes, so the process ends by itself), a second one always kills. Terminal
 * keys arrive as keys in the UI's raw mode, signals otherwise. */
function interrupts() {
  const controller = new AbortController();
  let how: 'quit' | 'interrupt' | null = null;
  const onSigint = () => {
    if (how === 'interrupt') process.exit(EXIT.interrupted);
    cancel('interrupt');
  };
  const cancel = (why: 'quit' | 'interrupt') => {
    how ??= why;
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return {
    signal: controller.signal,
    cancel,
    get how() {
      return how;
    },
    dispose: () => void process.off('SIGINT', onSigint),
  };
}
type Stop = ReturnType<typeof interrupts>;

/** What runs the checks, once `ready` (the demo console) has settled; events go to `onEvent`. */
type Start = (onEvent?: (e: EngineEvent) => void) => Promise<Report>;

/** The UI's first frame, as painted before ink loaded. */
interface FirstFrame {
  model: RunModel;
  style: Style;
  /** Lines to erase when ink takes over. */
  lines: number;
}

async function paintFirst(
  opts: DoctorOptions,
  io: Io,
  checks: Check[],
  target: RunModel['target'],
  compare: Comparing | null,
): Promise<FirstFrame> {
  // The frame's colours are ours (ui/layout.ts styles the lines); ink paints them as they are.
  const style = makeStyle(opts.color ?? wantsColor(io.env, true, false));
  const model = initialModel(
    TOOL,
    target,
    checks.map((c) => ({ id: c.id, title: c.title, needs: c.needs })),
    compare,
  );
  return { model, style, lines: await paintFirstFrame(io.stdout, model, style) };
}

async function doctorCommand(opts: DoctorOptions, io: Io, ready: Promise<unknown>): Promise<number> {
  const checks = selectChecks(opts.only, opts.skip);
  const mode = chooseMode(opts, io);
  const stop = interrupts();
  try {
    // Usage errors (a missing file, a wrong --context or token) come before any frame.
    const root = opts.fromBundle ? null : await resolveRoot(opts, io.env);
    const prismaConsole = root === null ? null : await consoleTarget(opts.cluster, io.env, opts.timeoutMs);
    // A live run's first frame goes out before even the engine loads (unless a comparison, which
    // must be read and matched to this node first, is to head it).
    const early =
      mode === 'pretty' && root !== null && !opts.compare
        ? await paintFirst(opts, io, checks, { root: shownRoot(opts, root), demo: opts.demo }, null)
        : null;
    const loading = root === null ? bundleRun(opts.fromBundle!) : nodeRun(opts, io, root, prismaConsole, stop.signal);
    // A Ctrl-C on the early frame goes out at once, as it does while ink loads.
    const run = early ? await Promise.race([loading, aborted(stop.signal)]) : await loading;
    const code = run
      ? await checkAndShow({ opts, io, mode, checks, run, early, prismaConsole, stop, ready })
      : leaveFrame(io, early!.lines);
    if (stop.signal.aborted) endOnceFlushed(code, io);
    return code;
  } finally {
    stop.dispose();
  }
}

/** The checks on the run, shown the way `mode` asks. */
async function checkAndShow(a: {
  opts: DoctorOptions;
  io: Io;
  mode: OutputMode;
  checks: Check[];
  run: DoctorRun;
  early: FirstFrame | null;
  prismaConsole: ConsoleTarget | null;
  stop: Stop;
  ready: Promise<unknown>;
}): Promise<number> {
  const { opts, io, checks, run, stop } = a;
  const compare = await comparing(opts, run);
  const { runDoctor } = await import('../engine/doctor.js');
  const start: Start = (onEvent) => a.ready.then(() => runDoctor(checks, run, io.env, opts.showSecrets, onEvent, stop.signal));
  if (a.mode !== 'pretty') return runPlain(opts, io, a.mode, start, stop, compare);
  const frame = a.early ?? (await paintFirst(opts, io, checks, run.runOpts.target, compare));
  return runUi(opts, io, frame, run.root, start, a.prismaConsole, stop);
}

async function runPlain(
  opts: DoctorOptions,
  io: Io,
  mode: OutputMode,
  start: Start,
  stop: Stop,
  compare: Comparing | null,
): Promise<number> {
  const report = compared(await start(), compare);
  const code = stop.how === 'interrupt' ? EXIT.interrupted : exitCodeFor(report, opts.strict);
  if (mode === 'json') io.stdout.write(renderJson(report, code));
  else if (mode === 'json-framed') io.stdout.write(frameDocument(renderJson(report, code)));
  else if (mode === 'junit') io.stdout.write(renderJunit(report, code));
  else
    io.stdout.write(renderText(report, makeStyle(opts.color ?? wantsColor(io.env, Boolean(io.stdout.isTTY), false)), opts.verbose, code));
  if (report.interrupted) io.stderr.write('prisma-audit: interrupted; checks that had not finished are reported as unknown\n');
  return code;
}

async function runUi(
  opts: DoctorOptions,
  io: Io,
  { model, style, lines: painted }: FirstFrame,
  root: string | null,
  start: Start,
  prismaConsole: ConsoleTarget | null,
  stop: Stop,
): Promise<number> {
  // The first frame went out before ink loads; the run starts at once and its events wait until
  // ink is up.
  const early: EngineEvent[] = [];
  let push: (e: EngineEvent) => void = (e) => void early.push(e);
  const running = start((e) => push(e));
  // Loading ink takes longer than a Ctrl-C may: a cancel meanwhile goes straight out.
  const loaded = await Promise.race([import('../ui/run-pretty.js'), aborted(stop.signal)]);
  if (!loaded) return leaveFrame(io, painted);
  // Fix (f/F) and bundle (b) keys act on the live node, so a recorded run has neither; the fix
  // planner loads only when a fix key is pressed.
  const onFix =
    root === null
      ? undefined
      : async (fix: string | null) =>
          (await import('./fix-preview.js')).previewFix(
            {
              root,
              manifest: opts.manifest,
              fix,
              now: new Date(),
              offline: opts.offline,
              timeoutMs: opts.timeoutMs,
              console: prismaConsole,
            },
            process.cwd(),
          );
  const writeBundle =
    root === null
      ? undefined
      : async () => {
          const { defaultBundleOptions, writeBundleFile } = await import('./bundle.js');
          return (await writeBundleFile(defaultBundleOptions(root, opts.manifest, opts.timeoutMs), io.env)).out;
        };
  const ui = await loaded.openPretty({ model, painted, style, onQuitKey: stop.cancel, onFix, writeBundle });
  push = (e) => ui.push(e);
  early.forEach(push);
  // A quit key, or a SIGINT from outside the terminal (which aborts without a key).
  await Promise.race([ui.quit, aborted(stop.signal)]);
  await ui.close();
  if (stop.how === 'interrupt') return interrupted(io);
  return printFinal(opts, io, compared(await running, model.since), style, stop);
}

/** Ctrl-C: out at once, with one line instead of the report (rendering it costs time). */
function interrupted(io: Io): number {
  io.stderr.write('prisma-audit: interrupted; nothing was changed (run again for the report)\n');
  return EXIT.interrupted;
}

/** Ctrl-C before ink took over: the first frame is erased, the terminal is as before. */
function leaveFrame(io: Io, lines: number): number {
  io.stdout.write(eraseLines(lines));
  return interrupted(io);
}

/** What stays in the terminal after the UI: the report, once, as text wrapped to the window (with
 * the width measures the UI loaded). */
async function printFinal(opts: DoctorOptions, io: Io, report: Report, style: Style, stop: Stop): Promise<number> {
  await loadUnicodeCells();
  const code = stop.how === 'interrupt' ? EXIT.interrupted : exitCodeFor(report, opts.strict);
  io.stdout.write(renderText(report, style, opts.verbose, code, { width: io.stdout.columns || null }));
  return code;
}

/** Settles (with null) when the signal aborts. */
function aborted(signal: AbortSignal): Promise<null> {
  return new Promise((resolve) => (signal.aborted ? resolve(null) : signal.addEventListener('abort', () => resolve(null), { once: true })));
}

// Reads each node log source into its kept candidate lines: the kubelet journal, crictl (containers and their logs),
// the kubelet's container log files, and --log-file files. Every source reports whether it was used,
// is not available (missing tool or file) or not permitted, so "no errors" never hides "could not look".
import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { resolveUnderRoot } from './host-fs.js';
import { findContainerLogs, findPodLogs, nodePath, openLog, CONTAINERS_GLOB, PODS_GLOB } from './log-files.js';
import { runCommand, streamCommand, type CommandRun } from './commands.js';
import { parseCrictlPs, withInspect } from '../logs/crictl.js';
import { mergeScans, scanLog, type ScanResult } from '../logs/scan.js';
import type { ApiserverContainer, ApiserverStart, LogSource, LogSourceKind } from '../model/logs.js';

export interface SourceOptions {
  now: Date;
  /** Epoch ms by which every command must be done: crictl runs up to four in a row, and all of
   * them must end before the engine gives up on the fact. */
  deadline: number;
  /** Cancels the run (q, Esc, Ctrl-C): the commands are killed. */
  signal?: AbortSignal;
}

const limits = (opts: SourceOptions, maxBytes: number) => ({
  timeoutMs: Math.max(1, opts.deadline - Date.now()),
  maxBytes,
  ...(opts.signal ? { signal: opts.signal } : {}),
});

/** Bytes read from one command's log output; older lines beyond it are the least useful anyway. */
const LOG_OUTPUT_CAP = 256 * 1024 * 1024;
const SMALL_OUTPUT_CAP = 4 * 1024 * 1024;
/** The current attempt and the one before it: the previous one holds the error when it crashed. */
const ATTEMPTS_READ = 2;

/** A source read without lines of its own (crictl ps, links to files read elsewhere). */
const lineless = (name: string, kind: LogSourceKind, state: LogSource['state'], reason: string | null, bytes = 0): LogSource => ({
  name,
  kind,
  state,
  reason,
  format: null,
  bytes,
  lines: [],
  omitted: 0,
  starts: [],
});

const unused = (name: string, kind: LogSourceKind, state: 'not-available' | 'not-permitted', reason: string): LogSource =>
  lineless(name, kind, state, reason);

const used = (name: string, kind: LogSourceKind, scan: ScanResult, reason: string | null, starts: ApiserverStart[] = []): LogSource => ({
  name,
  kind,
  state: 'used',
  reason,
  format: scan.format,
  bytes: scan.bytes,
  lines: scan.lines,
  omitted: scan.omitted,
  starts,
});

/** Marks a source that was not reached because the target is not the live node (`why` overrides
 * the reason, for the fleet pod). */
export function notLive(name: string, kind: LogSourceKind, root: string, why?: string): LogSource {
  return unused(name, kind, 'not-available', why ?? `commands run only on the live node (--root /); --root is ${root}`);
}

export async function readJournal(sinceArg: string, isRoot: boolean, opts: SourceOptions): Promise<LogSource> {
  const args = ['-u', 'kubelet', '--since', sinceArg, '--no-pager', '-o', 'short-iso'];
  const name = `journalctl ${args.join(' ')}`;
  const run = await streamCommand('journalctl', args, limits(opts, LOG_OUTPUT_CAP), async ({ stdout, stderr }) => {
    const [scan] = await Promise.all([scanLog(stdout, { now: opts.now, format: 'journal-iso' }), drain(stderr)]);
    return scan;
  });
  const failed = commandProblem(run, name, 'journal');
  if (failed) return failed;
  const scan = run.value!;
  const entries = scan.firstTime !== null;
  if (!entries && !isRoot) {
    // journalctl prints nothing (or only a hint on stderr) when the user may not read the system
    // journal: that is a permission problem, never a clean bill of health.
    return unused(
      name,
      'journal',
      'not-permitted',
      'no kubelet entries visible to a non-root user: run as root or in the systemd-journal group',
    );
  }
  const note = !entries ? `no kubelet entries since ${sinceArg}` : truncation(run);
  return used(name, 'journal', scan, note);
}

export interface CrictlRead {
  sources: LogSource[];
  container: ApiserverContainer | null;
}

export async function readCrictl(opts: SourceOptions): Promise<CrictlRead> {
  const psArgs = ['ps', '-a', '--name', 'kube-apiserver', '-o', 'json'];
  const psName = `crictl ${psArgs.join(' ')}`;
  const ps = await runCommand('crictl', psArgs, limits(opts, SMALL_OUTPUT_CAP));
  if (ps.status === 'ok' && ps.exitCode !== 0 && /permission denied/i.test(ps.value!.stderr)) {
    return {
      sources: [unused(psName, 'crictl', 'not-permitted', 'crictl may not open the container runtime socket: run as root')],
      container: null,
    };
  }
  const failed = commandProblem(ps, psName, 'crictl');
  if (failed) return { sources: [failed], container: null };
  let containers: ApiserverContainer[];
  try {
    containers = parseCrictlPs(ps.value!.stdout);
  } catch {
    return { sources: [unused(psName, 'crictl', 'not-available', 'crictl printed output that is not JSON')], container: null };
  }
  const sources = [lineless(psName, 'crictl', 'used', containers.length ? null : 'no kube-apiserver container', ps.value!.stdout.length)];
  const newest = containers[0];
  if (!newest) return { sources, container: null };
  const inspect = await runCommand('crictl', ['inspect', '-o', 'json', newest.id], limits(opts, SMALL_OUTPUT_CAP));
  let container = newest;
  try {
    if (inspect.status === 'ok' && inspect.exitCode === 0) container = withInspect(newest, inspect.value!.stdout);
  } catch {
    // inspect is optional detail (exit code); ps already gave the state
  }
  for (const attempt of containers.slice(0, ATTEMPTS_READ)) sources.push(await readContainerLogs(attempt, opts));
  return { sources, container };
}

async function readContainerLogs(container: ApiserverContainer, opts: SourceOptions): Promise<LogSource> {
  const args = ['logs', '--timestamps', container.id];
  const name = `crictl ${args.join(' ')}`;
  // The apiserver writes to stderr, which crictl logs passes through as its own stderr.
  const run = await streamCommand('crictl', args, limits(opts, LOG_OUTPUT_CAP), async ({ stdout, stderr }) => {
    const [out, err] = await Promise.all([
      scanLog(stdout, { now: opts.now, format: 'cri' }),
      scanLog(stderr, { now: opts.now, format: 'cri' }),
    ]);
    return mergeScans(out, err);
  });
  const failed = commandProblem(run, name, 'crictl');
  if (failed) return failed;
  const { createdAt } = container;
  const starts = createdAt === null ? [] : [{ at: createdAt, evidence: `crictl: kube-apiserver attempt ${container.attempt} created` }];
  return used(name, 'crictl', run.value!, truncation(run), starts);
}

/** A command that did not run, or ran and failed, as a source report; null when it ran fine. */
function commandProblem(run: CommandRun<unknown>, name: string, kind: LogSourceKind): LogSource | null {
  const tool = name.split(' ')[0]!;
  if (run.status === 'missing') return unused(name, kind, 'not-available', `${tool} is not installed (not on PATH)`);
  if (run.status === 'denied') return unused(name, kind, 'not-permitted', run.message ?? `${tool} may not be run`);
  if (run.status === 'failed') return unused(name, kind, 'not-available', run.message ?? `${tool} failed`);
  if (run.status === 'ok' && run.exitCode !== 0) {
    return unused(name, kind, 'not-available', `${tool} exited with status ${run.exitCode}`);
  }
  return null;
}

function truncation(run: CommandRun<unknown>): string | null {
  if (run.status === 'timeout') return `${run.message}; scanned what it printed until then`;
  if (run.truncated) return `output capped at ${LOG_OUTPUT_CAP} bytes`;
  return null;
}

/** Where a kubelet without journald logs (its --log-file, as kubeadm-less and container-host setups
 * run it): read like the journal when present. */
export const KUBELET_LOG_FILE = '/var/log/kubelet.log';

/** The kubelet's kube-apiserver log files under root: every attempt in /var/log/pods, any file in
 * /var/log/containers that is not a link to one of them, and the kubelet's own log file. */
export async function readNodeLogFiles(root: string, opts: SourceOptions): Promise<LogSource[]> {
  const pods = await findPodLogs(root);
  const containers = await findContainerLogs(root, pods.files);
  const scans: LogSource[] = [];
  for (const [found, glob, kind] of [
    [pods, PODS_GLOB, 'pod-log'],
    [containers, CONTAINERS_GLOB, 'container-log'],
  ] as const) {
    if (found.problem)
      scans.push(unused(glob, kind, found.problem.kind === 'denied' ? 'not-permitted' : 'not-available', found.problem.message));
    else if (found.duplicates > 0 && found.files.length === 0) scans.push(linksOnly(glob, kind, found.duplicates));
    else if (found.files.length === 0) scans.push(unused(glob, kind, 'not-available', `no such files under ${root}`));
    for (const file of found.files) scans.push(await readLogFile(file, nodePath(root, file), kind, opts));
  }
  // Resolved inside root: /var/log may itself be a link on the node.
  const kubeletLog = await resolveUnderRoot(root, KUBELET_LOG_FILE).catch(() => null);
  if (kubeletLog && existsSync(kubeletLog)) scans.push(await readLogFile(kubeletLog, KUBELET_LOG_FILE, 'log-file', opts));
  return scans;
}

/** The links in /var/log/containers name the /var/log/pods files: read once, there. */
function linksOnly(name: string, kind: LogSourceKind, links: number): LogSource {
  return lineless(name, kind, 'used', `${links} link(s) to the /var/log/pods files read above`);
}

/** One file, in any format (detected from its first line). A pods `N.log` starts with attempt N. */
export async function readLogFile(path: string, name: string, kind: LogSourceKind, opts: SourceOptions): Promise<LogSource> {
  // A --log-file the user names may be a link (followed, on this machine); a node log never is.
  const opened = kind === 'log-file' ? await openLog(await realpath(path).catch(() => path), name) : await openLog(path, name);
  if (!opened.ok) return unused(name, kind, opened.kind === 'denied' ? 'not-permitted' : 'not-available', opened.message);
  const scan = await scanLog(opened.stream, { now: opts.now });
  const starts =
    kind === 'pod-log' && scan.firstTime !== null
      ? [{ at: new Date(scan.firstTime).toISOString(), evidence: `first line of ${name}` }]
      : [];
  return used(name, kind, scan, null, starts);
}

/** Reads a stream to its end so the child never blocks on a full pipe. */
async function drain(stream: AsyncIterable<Buffer>): Promise<void> {
  for await (const chunk of stream) void chunk;
}

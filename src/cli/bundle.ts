// `prisma-audit bundle`: write a support bundle and say what is in it (on stderr: stdout stays free
// for the archive path, which scripts pick up).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { buildBundle, BundleTooLarge, type BundleSummary } from '../bundle/collect.js';
import { EXIT } from '../report/exit-codes.js';
import { summaryLine } from '../report/text.js';
import { kubeAccess } from '../facts/context.js';
import { requireFiles } from './inputs.js';
import { requireContext } from './kube-context.js';
import { UsageError } from './usage.js';
import { DEFAULT_MAX_BYTES, type BundleOptions } from './bundle-args.js';
import type { Io } from './io.js';
import { endOnceFlushed } from './exit.js';
import { TOOL } from './tool.js';

/** prisma-audit-bundle-20261127-085444.tar.gz (UTC, so the name does not depend on the machine). */
export function defaultBundleName(at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/-/g, '')
    .replace('T', '-')
    .replace(/:/g, '');
  return `prisma-audit-bundle-${stamp}.tar.gz`;
}

/** Writes the bundle the options describe; problems the user can fix are usage errors. */
export async function writeBundleFile(opts: BundleOptions, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<BundleSummary> {
  const root = path.resolve(opts.root);
  if (!(await fs.stat(root).catch(() => null))?.isDirectory()) throw new UsageError(`--root ${opts.root}: not a directory`);
  const collectedAt = opts.collectedAt ?? new Date();
  const out = path.resolve(opts.out ?? defaultBundleName(collectedAt));
  if ((await fs.lstat(out).catch(() => null))?.isDirectory()) throw new UsageError(`cannot write ${out}: it is a directory`);
  const { kubeconfig, context, cluster } = opts.kube;
  await requireFiles([['--kubeconfig', kubeconfig]]);
  if (context !== null) await requireContext(context, kubeconfig ?? env.KUBECONFIG ?? null, env);
  const kube = kubeAccess({ kubeconfig, context, cluster, canary: undefined }, env, opts.timeoutMs);
  try {
    return await buildBundle({ ...opts, root, out, collectedAt, reproducible: opts.collectedAt !== null, env, tool: TOOL, signal, kube });
  } catch (err) {
    if (err instanceof BundleTooLarge) throw new UsageError(err.message);
    const e = err as NodeJS.ErrnoException;
    const why: Record<string, string> = {
      ENOENT: 'its directory does not exist',
      EISDIR: 'it is a directory',
      EEXIST: 'it already exists (a bundle is never written over a file or through a link): choose a new name',
      ELOOP: 'it is a symbolic link (a bundle is never written through one): choose a new name',
      EACCES: 'permission denied',
      EROFS: 'read-only file system',
      ENOSPC: 'no space left on the device',
    };
    if (e.syscall === 'open' || e.syscall === 'write' || e.code === 'ENOSPC' || e.code === 'EROFS')
      throw new UsageError(`cannot write ${out}: ${(e.code && why[e.code]) ?? e.message}`);
    throw err;
  }
}

/** The bundle of a node with default options and the doctor's --timeout (the doctor UI's `b` key). */
export function defaultBundleOptions(root: string, manifest: string | null, timeoutMs: number, offline = false): BundleOptions {
  return {
    root,
    manifest,
    out: null,
    since: null,
    sinceMs: null,
    timeoutMs,
    offline,
    maxBytes: DEFAULT_MAX_BYTES,
    includeSuffix: false,
    collectedAt: null,
    kube: { kubeconfig: null, context: null, cluster: false },
  };
}

export async function bundle(opts: BundleOptions, io: Io): Promise<number> {
  // Ctrl-C stops the work and lets it remove its temporary files and the partial archive.
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  let result: BundleSummary;
  try {
    result = await writeBundleFile(opts, io.env, interrupt.signal);
  } catch (err) {
    if (!interrupt.signal.aborted) throw err;
    io.stderr.write('prisma-audit: interrupted; no bundle written\n');
    endOnceFlushed(EXIT.interrupted, io);
    return EXIT.interrupted;
  } finally {
    process.off('SIGINT', onSigint);
  }
  const trimmed = result.files.filter((f) => f.trimmed).length;
  io.stderr.write(
    `${summaryLine(result.report.summary, result.report.checks.length)}\n` +
      `bundle: ${result.files.length + 1} files, ${result.archiveBytes} bytes${trimmed ? `, ${trimmed} trimmed to fit --max-size` : ''}${result.skipped.length ? `, ${result.skipped.length} source(s) skipped (see index.json)` : ''}; secrets masked (see redactions.json)\n`,
  );
  io.stdout.write(`${result.out}\n`);
  // Failing checks are what a bundle is for: writing it is the success that counts.
  return EXIT.ok;
}

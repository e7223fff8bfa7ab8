// --from-bundle (and --compare with a bundle): the checks re-run on a support bundle's recorded facts.
import type { FactSource, RunOptions } from '../engine/run.js';
import type { ConsoleTarget } from '../console/target.js';
import { UsageError } from './usage.js';
import { TOOL } from './tool.js';

export interface Run {
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
export async function bundleRun(file: string): Promise<Run> {
  // The archive reader (tar, zlib) loads only for --from-bundle.
  const [{ ArchiveError }, { readRecording, replay }] = await Promise.all([import('../bundle/archive.js'), import('../bundle/replay.js')]);
  try {
    return { ...replay(await readRecording(file), file, TOOL), root: null, credentials: [], prismaConsole: null };
  } catch (err) {
    if (err instanceof ArchiveError) throw new UsageError(`--from-bundle ${file}: ${err.message}`);
    throw err;
  }
}

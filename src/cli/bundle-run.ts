// --from-bundle (and --compare with a bundle): the checks re-run on a support bundle's recorded facts.
import type { DoctorRun } from '../engine/doctor.js';
import { UsageError } from './usage.js';
import { TOOL } from './tool.js';

/** --from-bundle: the recorded facts; an unreadable or foreign file is the user's input error. */
export async function bundleRun(file: string): Promise<DoctorRun> {
  // The archive reader (tar, zlib) loads only for --from-bundle.
  const [{ ArchiveError }, { readRecording, replay }] = await Promise.all([import('../bundle/archive.js'), import('../bundle/replay.js')]);
  try {
    return { ...replay(await readRecording(file), file, TOOL), root: null, credentials: [] };
  } catch (err) {
    if (err instanceof ArchiveError) throw new UsageError(`--from-bundle ${file}: ${err.message}`);
    throw err;
  }
}

// `doctor --from-bundle FILE`: the recorded facts, served back to the same checks. No node, no
// network: every fact comes from facts.json, and "now" is the collection time, so time-dependent
// verdicts (certificate expiry) come out as they did then.
import type { RunOptions } from '../checks/run.js';
import type { FactSource } from '../model/facts.js';
import { recordedFacts } from '../facts/gather.js';
import { ArchiveError, readArchiveEntries } from './archive.js';
import { RecordingError, toRecording, type Recording } from './recording.js';

export const FACTS_ENTRY = 'facts.json';
/** facts.json holds size-capped text; anything this large is not ours. */
const MAX_FACTS_BYTES = 256 * 1024 * 1024;

/** Reads and validates a bundle's facts; throws ArchiveError with a plain reason otherwise. */
export async function readRecording(file: string): Promise<Recording> {
  const entries = await readArchiveEntries(file, [FACTS_ENTRY], MAX_FACTS_BYTES);
  const raw = entries.get(FACTS_ENTRY);
  if (!raw) throw new ArchiveError(`the archive holds no ${FACTS_ENTRY}: it is not a prisma-audit support bundle`);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new ArchiveError(`${FACTS_ENTRY} is not valid JSON (${(err as Error).message})`);
  }
  try {
    return toRecording(json);
  } catch (err) {
    if (err instanceof RecordingError) throw new ArchiveError(err.message);
    throw err;
  }
}

export function replay(recording: Recording, file: string, tool: RunOptions['tool']): { source: FactSource; runOpts: RunOptions } {
  return {
    source: recordedFacts(recording.facts),
    runOpts: {
      offline: recording.target.offline,
      now: new Date(recording.collectedAt),
      tool,
      target: { ...recording.target, bundle: file, recordedAt: recording.collectedAt },
    },
  };
}

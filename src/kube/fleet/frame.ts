// The doctor's JSON document, framed so that fleet mode can find it in a pod log. `pods/log` merges
// stdout and stderr, and the container runtime splits lines longer than its buffer (16 KiB in
// containerd) into partial lines that another stream's line can land between. So the document
// goes out as short base64 lines, each tagged with the run's prefix and its index, between a
// header that carries the SHA-256 and length of the whole document and an end line. Pure.
import { createHash } from 'node:crypto';

const TAG = 'prisma-audit:report:v1';
/** Well under any runtime's line buffer, so no part is ever split. */
const PART_CHARS = 4000;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The framed form of `doc` (a JSON text): lines ending in \n. */
export function frameDocument(doc: string): string {
  const bytes = Buffer.from(doc, 'utf8');
  const b64 = bytes.toString('base64');
  const parts: string[] = [];
  for (let i = 0; i < b64.length; i += PART_CHARS) parts.push(b64.slice(i, i + PART_CHARS));
  return [
    `${TAG} begin sha256=${sha256(bytes)} bytes=${bytes.length} parts=${parts.length}`,
    ...parts.map((p, i) => `${TAG} ${i} ${p}`),
    `${TAG} end`,
    '',
  ].join('\n');
}

export type Unframed = { ok: true; doc: string } | { ok: false; problem: string };

/** Finds the last complete framed document in a log; every way it can be missing or damaged is
 * told apart, because each points at a different cause (doctor crashed, log cut, bytes changed). */
export function unframeDocument(log: string): Unframed {
  const lines = log.split(/\r?\n/);
  let begin = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.startsWith(`${TAG} begin `)) {
      begin = i;
      break;
    }
  }
  if (begin < 0) return { ok: false, problem: 'no framed report in the pod log: the doctor did not get as far as printing its result' };
  const head = /sha256=([0-9a-f]{64}) bytes=(\d+) parts=(\d+)/.exec(lines[begin]!);
  if (!head) return { ok: false, problem: `the report header is damaged: "${lines[begin]!.slice(0, 120)}"` };
  const [, digest, size, count] = head;
  const parts = new Map<number, string>();
  let ended = false;
  for (const line of lines.slice(begin + 1)) {
    if (line === `${TAG} end`) {
      ended = true;
      break;
    }
    const m = /^prisma-audit:report:v1 (\d+) ([A-Za-z0-9+/=]*)$/.exec(line);
    // Anything else is another stream's line that landed between the parts: skipped.
    if (m) parts.set(Number(m[1]), m[2]!);
  }
  const missing = Array.from({ length: Number(count) }, (_, i) => i).filter((i) => !parts.has(i));
  if (missing.length > 0 || !ended) {
    const what =
      missing.length > 0
        ? `parts ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''} of ${count} are missing`
        : 'the end line is missing';
    return {
      ok: false,
      problem: `the report in the pod log is incomplete (${what}): the log was cut short or the doctor was stopped while printing`,
    };
  }
  const bytes = Buffer.from([...Array(Number(count)).keys()].map((i) => parts.get(i)!).join(''), 'base64');
  if (bytes.length !== Number(size) || sha256(bytes) !== digest) {
    return {
      ok: false,
      problem: `the report in the pod log does not match its checksum (${bytes.length} of ${size} bytes): its bytes changed on the way`,
    };
  }
  return { ok: true, doc: bytes.toString('utf8') };
}

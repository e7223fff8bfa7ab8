// The .tar.gz container: written reproducibly (sorted entries, fixed mode/owner, mtime = collection
// time, gzip without name or timestamp) and streamed, so no entry is ever held in memory whole.
import { createReadStream, promises as fs } from 'node:fs';
import { createExclusive } from '../io/host-fs.js';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';

export interface ArchiveEntry {
  /** Path inside the archive. */
  name: string;
  size: number;
  /** Opens the contents; called once, when the entry is written. */
  open(): Readable;
}

export function bufferEntry(name: string, contents: Buffer): ArchiveEntry {
  return { name, size: contents.length, open: () => Readable.from([contents]) };
}

/** A byte range of a file on disk (a spooled log excerpt). */
export function fileRangeEntry(name: string, file: string, start: number, end: number): ArchiveEntry {
  return { name, size: end - start, open: () => (end > start ? createReadStream(file, { start, end: end - 1 }) : Readable.from([])) };
}

/** tar's fixed overhead for one entry: a 512-byte header, contents padded to 512. */
export function tarEntryBytes(size: number): number {
  return 512 + Math.ceil(size / 512) * 512;
}
/** Two zero blocks end the archive. */
export const TAR_END_BYTES = 1024;

/** Creates `out` itself with O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600 (never through an existing file,
 * a link or a stale X.partial someone planted), writes it, and removes it if anything fails or the
 * run is interrupted, so no half archive is left. */
export async function writeArchive(out: string, entries: ArchiveEntry[], mtime: Date, signal?: AbortSignal): Promise<void> {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const handle = await createExclusive(out, 0o600);
  const pack = tar.pack();
  // gzip's header carries no file name and a zero timestamp when fed from a stream.
  const written = pipeline(pack, createGzip({ level: 9 }), handle.createWriteStream(), { signal });
  try {
    for (const entry of sorted) {
      await new Promise<void>((resolve, reject) => {
        const sink = pack.entry({ name: entry.name, size: entry.size, mode: 0o644, mtime, uid: 0, gid: 0, uname: '', gname: '', type: 'file' }, (err) => (err ? reject(err) : resolve()));
        pipeline(entry.open(), sink, { signal }).catch(reject);
      });
    }
    pack.finalize();
    await written;
  } catch (err) {
    pack.destroy();
    await written.catch(() => {});
    await fs.rm(out, { force: true });
    throw err;
  }
}

/** Why an archive could not be read; the CLI turns it into a usage error. */
export class ArchiveError extends Error {}

/** Reads the named small entries of a .tar.gz (others are skipped unread); each is capped at
 * maxBytes so a hostile archive cannot exhaust memory. */
export async function readArchiveEntries(file: string, names: string[], maxBytes: number): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  const extract = tar.extract();
  const reading = (async () => {
    for await (const entry of extract) {
      // A bundle unpacked and re-packed with `tar czf b.tgz -C dir .` names its entries ./facts.json.
      const name = entry.header.name.replace(/^(\.\/)+/, '');
      if (!names.includes(name) || entry.header.type !== 'file') {
        entry.resume();
        continue;
      }
      if ((entry.header.size ?? 0) > maxBytes) throw new ArchiveError(`${name} is ${entry.header.size} bytes, more than the ${maxBytes}-byte limit`);
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      found.set(name, Buffer.concat(chunks));
    }
  })();
  try {
    await Promise.all([pipeline(createReadStream(file), createGunzip(), extract), reading]);
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new ArchiveError('no such file');
    if (e.code === 'EISDIR') throw new ArchiveError('is a directory, not a bundle');
    if (e.code === 'EACCES' || e.code === 'EPERM') throw new ArchiveError('permission denied');
    if (e.code?.startsWith('Z_')) throw new ArchiveError(`not a gzip-compressed bundle, or it is truncated or corrupt (${e.message})`);
    throw new ArchiveError(`not a readable .tar.gz bundle (${e.message || e.code || String(err)})`);
  }
  return found;
}

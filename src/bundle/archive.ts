// The .tar.gz container: written reproducibly (sorted entries, fixed mode/owner, mtime = collection
// time, gzip without name or timestamp) and streamed, so no entry is ever held in memory whole.
import { createReadStream, promises as fs } from 'node:fs';
import { createExclusive } from '../io/host-fs.js';
import { Readable, Transform } from 'node:stream';
import { createHash } from 'node:crypto';
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
        const sink = pack.entry(
          { name: entry.name, size: entry.size, mode: 0o644, mtime, uid: 0, gid: 0, uname: '', gname: '', type: 'file' },
          (err) => (err ? reject(err) : resolve()),
        );
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

/** A bundle is at most --max-size compressed; its logs compress about tenfold. Past this it is a bomb. */
export const MAX_DECOMPRESSED_BYTES = 1024 ** 3;
/** No single entry of a bundle is larger than this (a log excerpt under the largest --max-size). */
const MAX_ENTRY_BYTES = 512 * 1024 ** 2;

export interface ReadLimits {
  /** Entries kept in memory, each with its own cap. */
  wanted: Record<string, number>;
  maxDecompressed?: number;
}

/** An entry name as written in the index: ./facts.json (tar -C dir .) is facts.json. Absolute names,
 * `..` segments and backslashes are unsafe: an extracting user could be made to write anywhere. */
function safeName(raw: string): string {
  const name = raw.replace(/^(\.\/)+/, '');
  if (name.startsWith('/') || name.split('/').includes('..') || name.includes('\\') || name.includes('\0'))
    throw new ArchiveError(`unsafe entry name ${JSON.stringify(raw)}: refused`);
  return name;
}

/**
 * Reads a .tar.gz bundle in one stream, with limits at every step: the decompressed total (a gzip
 * bomb stops at the cap, not at its end), each entry's size, the entries kept in memory (each with
 * its cap). Unsafe names, links, devices and duplicate entries are refused. Every file's sha256 is
 * checked against index.json when the bundle has one.
 */
export async function readArchiveEntries(file: string, limits: ReadLimits): Promise<Map<string, Buffer>> {
  const maxTotal = limits.maxDecompressed ?? MAX_DECOMPRESSED_BYTES;
  const found = new Map<string, Buffer>();
  const hashes = new Map<string, string>();
  const extract = tar.extract();
  let total = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length;
      if (total > maxTotal) done(new ArchiveError(`it decompresses to more than ${maxTotal} bytes (a gzip bomb?): refused`));
      else done(null, chunk);
    },
  });
  const reading = (async () => {
    for await (const entry of extract) {
      const { type, size = 0 } = entry.header;
      const name = safeName(entry.header.name);
      if (type === 'directory') {
        entry.resume();
        continue;
      }
      if (type !== 'file') throw new ArchiveError(`entry ${JSON.stringify(name)} is a ${type}, not a file: refused`);
      if (hashes.has(name)) throw new ArchiveError(`entry ${JSON.stringify(name)} appears twice: refused`);
      const cap = limits.wanted[name] ?? MAX_ENTRY_BYTES;
      if (size > cap) throw new ArchiveError(`${name} is ${size} bytes, more than the ${cap}-byte limit`);
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      for await (const chunk of entry) {
        hash.update(chunk as Buffer);
        if (name in limits.wanted) chunks.push(chunk as Buffer);
      }
      hashes.set(name, hash.digest('hex'));
      if (name in limits.wanted) found.set(name, Buffer.concat(chunks));
    }
  })();
  try {
    await Promise.all([pipeline(createReadStream(file), createGunzip(), counter, extract), reading]);
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new ArchiveError('no such file');
    if (e.code === 'EISDIR') throw new ArchiveError('is a directory, not a bundle');
    if (e.code === 'EACCES' || e.code === 'EPERM') throw new ArchiveError('permission denied');
    if (e.code?.startsWith('Z_')) throw new ArchiveError(`not a gzip-compressed bundle, or it is truncated or corrupt (${e.message})`);
    throw new ArchiveError(`not a readable .tar.gz bundle (${e.message || e.code || String(err)})`);
  }
  const index = found.get('index.json');
  if (index) verifyIndex(index, hashes);
  return found;
}

/** Every file index.json lists is present with the sha256 it lists; every file present is listed. */
function verifyIndex(raw: Buffer, hashes: Map<string, string>): void {
  let files: { name?: unknown; sha256?: unknown }[];
  try {
    const parsed = JSON.parse(raw.toString('utf8')) as { files?: unknown };
    if (!Array.isArray(parsed.files)) throw new Error('no files list');
    files = parsed.files as typeof files;
  } catch (err) {
    throw new ArchiveError(`index.json is not a valid index (${(err as Error).message})`);
  }
  const listed = new Set<string>();
  for (const f of files) {
    if (typeof f.name !== 'string' || typeof f.sha256 !== 'string')
      throw new ArchiveError('index.json lists an entry without name and sha256');
    listed.add(f.name);
    const actual = hashes.get(f.name);
    if (actual === undefined) throw new ArchiveError(`index.json lists ${f.name}, which the archive does not hold`);
    if (actual !== f.sha256)
      throw new ArchiveError(`${f.name} does not match its sha256 in index.json: the bundle was altered or corrupted`);
  }
  const extra = [...hashes.keys()].filter((n) => n !== 'index.json' && !listed.has(n));
  if (extra.length > 0) throw new ArchiveError(`the archive holds entries index.json does not list: ${extra.slice(0, 3).join(', ')}`);
}

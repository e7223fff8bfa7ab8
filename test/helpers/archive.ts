// Opens a bundle the way a support engineer would: gunzip, then untar every entry; and makes one
// from given entries, for bundles no prisma-audit would write.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import tar from 'tar-stream';

/** The whole decompressed tar stream: every byte that anyone unpacking the bundle could read. */
export function decompressed(file: string): Buffer {
  return gunzipSync(readFileSync(file));
}

export async function entries(file: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const extract = tar.extract();
  Readable.from([decompressed(file)]).pipe(extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    out.set(entry.header.name, Buffer.concat(chunks));
  }
  return out;
}

export async function jsonEntry<T>(file: string, name: string): Promise<T> {
  const buf = (await entries(file)).get(name);
  if (!buf) throw new Error(`${name} missing from ${file}`);
  return JSON.parse(buf.toString('utf8')) as T;
}

/** A gzipped tar of the given entries, in order. */
export async function tarGz(files: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, text] of Object.entries(files)) pack.entry({ name }, text);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

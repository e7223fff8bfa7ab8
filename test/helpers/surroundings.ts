// Hashes of every file around a node root (its parent folder minus the root itself and the outputs),
// to prove a run touched nothing outside --root.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export async function hashOutside(dir: string, skip: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (skip.some((s) => full === s || full.startsWith(s + path.sep))) continue;
    const st = await fs.lstat(full);
    const what = st.isFile()
      ? createHash('sha256')
          .update(await fs.readFile(full))
          .digest('hex')
      : st.isSymbolicLink()
        ? `-> ${await fs.readlink(full)}`
        : `type ${st.mode >> 12}`;
    out[path.relative(dir, full)] = `${what} ${(st.mode & 0o7777).toString(8)} ${st.mtimeMs}`;
  }
  return out;
}

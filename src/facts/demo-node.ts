// Where `doctor --demo` finds the demo node. In the npm package it is fixtures/demo/root. The single
// binary carries it as an asset (demo-root.json: relative path -> base64), written out only by
// `doctor --demo`, once, under $TMPDIR/prisma-audit-<uid>-<content hash>/: through a private temp dir
// and a rename, and reused only when it is a real directory of this user that no one else can write.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const DEMO_ASSET = 'demo-root.json';

/** The demo node's root folder (the caller passes the package folder for the npm case). */
export async function demoRoot(packageRoot: () => string): Promise<string> {
  // node:sea loads only for the demo; outside a single binary isSea() is false.
  const sea = await import('node:sea');
  if (!sea.isSea()) return path.join(packageRoot(), 'fixtures/demo/root');
  return extractDemo(Buffer.from(sea.getAsset(DEMO_ASSET)), os.tmpdir());
}

/** A directory this user owns, that is no link and that no one else can write: safe to reuse. */
async function isOurs(dir: string): Promise<boolean> {
  const st = await fs.lstat(dir).catch(() => null);
  return st !== null && st.isDirectory() && st.uid === process.getuid!() && (st.mode & 0o022) === 0;
}

async function writeTree(dir: string, asset: Buffer): Promise<void> {
  const files = JSON.parse(asset.toString('utf8')) as Record<string, string>;
  for (const [rel, b64] of Object.entries(files)) {
    const file = path.join(dir, 'root', rel);
    // The asset is built from the repository; a path that leaves the root would be a build bug.
    if (!file.startsWith(path.join(dir, 'root') + path.sep)) throw new Error(`demo asset path escapes the demo root: ${rel}`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, Buffer.from(b64, 'base64'), { mode: 0o644 });
  }
}

/** Writes the demo node under base once per content and user; returns its root. */
export async function extractDemo(asset: Buffer, base: string): Promise<string> {
  const hash = createHash('sha256').update(asset).digest('hex').slice(0, 16);
  const dir = path.join(base, `prisma-audit-${process.getuid!()}-${hash}`);
  if (await isOurs(dir)) return path.join(dir, 'root');
  const tmp = await fs.mkdtemp(`${dir}.tmp-`);
  await writeTree(tmp, asset);
  const placed = await fs.rename(tmp, dir).then(
    () => true,
    () => false,
  );
  if (placed || (await isOurs(dir))) {
    // Lost a race to another demo run that wrote the same content: use its copy.
    if (!placed) await fs.rm(tmp, { recursive: true, force: true });
    return path.join(dir, 'root');
  }
  // Someone else holds the name (another user, a link): keep this run's private copy instead.
  return path.join(tmp, 'root');
}

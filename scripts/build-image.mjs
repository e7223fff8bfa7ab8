// Builds dist/prisma-audit-image.tar (npm run build:image): a docker-archive image FROM scratch that
// holds the single binary, the shared libraries `ldd` names for it, /etc/passwd and /etc/group, an
// empty /tmp (doctor --demo writes there), and the binary as entrypoint. Written with tar-stream,
// without a registry or a container engine; `ctr images import`, `docker load` and `skopeo copy
// docker-archive:...` read it. Timestamps are fixed, so the same inputs give the same image.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import tar from 'tar-stream';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const bin = path.join(root, `dist/prisma-audit-linux-x64`);
export const IMAGE = path.join(root, 'dist/prisma-audit-image.tar');
export const IMAGE_REF = `docker.io/library/prisma-audit:${pkg.version}`;
const EPOCH = new Date(Number(process.env.SOURCE_DATE_EPOCH ?? 0) * 1000);

if (!existsSync(bin))
  throw new Error(`build:image: ${path.relative(root, bin)} is missing: run npm run build:sea first (npm run build:image does)`);

/** Absolute paths of the libraries the binary loads (and the loader itself), as ldd prints them. */
function libraries() {
  const libs = [];
  for (const line of execFileSync('ldd', [bin], { encoding: 'utf8' }).split('\n')) {
    const m = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (m) libs.push(m[1]);
    else if (/not found/.test(line)) throw new Error(`build:image: ${line.trim()}`);
  }
  return libs;
}

/** Adds a file under `name` (the ldd path; a symlink is stored as the file it points to). */
function addFile(pack, name, source, mode) {
  const size = statSync(source).size;
  return new Promise((resolve, reject) => {
    const entry = pack.entry({ name, size, mode, mtime: EPOCH, uid: 0, gid: 0 }, (err) => (err ? reject(err) : resolve()));
    createReadStream(source).on('error', reject).pipe(entry);
  });
}

const addText = (pack, name, text, mode = 0o644) => pack.entry({ name, mode, mtime: EPOCH, uid: 0, gid: 0 }, text);

/** The one layer; returns its sha256 (the diff id) and size. */
async function writeLayer(file) {
  const pack = tar.pack();
  const hash = createHash('sha256');
  let size = 0;
  pack.on('data', (d) => {
    hash.update(d);
    size += d.length;
  });
  const written = pipeline(pack, createWriteStream(file));
  const dirs = new Set();
  const dir = (name) => {
    for (let d = path.posix.dirname(name); d !== '.' && d !== '/' && !dirs.has(d); d = path.posix.dirname(d)) dirs.add(d);
  };
  const libs = libraries();
  for (const p of ['usr/local/bin/prisma-audit', 'etc/passwd', ...libs.map((l) => l.slice(1))]) dir(p);
  for (const d of [...dirs].sort()) pack.entry({ name: `${d}/`, type: 'directory', mode: 0o755, mtime: EPOCH, uid: 0, gid: 0 });
  pack.entry({ name: 'tmp/', type: 'directory', mode: 0o1777, mtime: EPOCH, uid: 0, gid: 0 });
  addText(pack, 'etc/passwd', 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n');
  addText(pack, 'etc/group', 'root:x:0:\nnogroup:x:65534:\n');
  for (const lib of libs) await addFile(pack, lib.slice(1), realpathSync(lib), 0o755);
  await addFile(pack, 'usr/local/bin/prisma-audit', bin, 0o755);
  pack.finalize();
  await written;
  return { digest: hash.digest('hex'), size };
}

const layerFile = `${IMAGE}.layer`;
const layer = await writeLayer(layerFile);
const config = JSON.stringify({
  architecture: 'amd64',
  os: 'linux',
  created: EPOCH.toISOString(),
  config: {
    // Root: the node's manifests and audit files are root-only; mount the host at /host (--root /host).
    User: '0',
    Entrypoint: ['/usr/local/bin/prisma-audit'],
    Cmd: ['doctor', '--root', '/host'],
    Env: ['PATH=/usr/local/bin', 'TMPDIR=/tmp'],
    WorkingDir: '/tmp',
    Labels: {
      'org.opencontainers.image.title': pkg.name,
      'org.opencontainers.image.version': pkg.version,
      'org.opencontainers.image.licenses': pkg.license,
    },
  },
  rootfs: { type: 'layers', diff_ids: [`sha256:${layer.digest}`] },
  history: [{ created: EPOCH.toISOString(), created_by: 'scripts/build-image.mjs' }],
});
const configDigest = createHash('sha256').update(config).digest('hex');
const outer = tar.pack();
const done = pipeline(outer, createWriteStream(IMAGE));
addText(outer, `${configDigest}.json`, config);
await addFile(outer, `${layer.digest}/layer.tar`, layerFile, 0o644);
addText(
  outer,
  'manifest.json',
  JSON.stringify([
    { Config: `${configDigest}.json`, RepoTags: [IMAGE_REF.replace('docker.io/library/', '')], Layers: [`${layer.digest}/layer.tar`] },
  ]),
);
outer.finalize();
await done;
rmSync(layerFile);
console.log(`build:image: ${path.relative(root, IMAGE)} (${(statSync(IMAGE).size / 1e6).toFixed(1)} MB, ${IMAGE_REF})`);

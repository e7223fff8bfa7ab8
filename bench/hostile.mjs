#!/usr/bin/env node
// Benchmark: peak RSS and time of the real CLI on the worst hostile input of each kind (issue 14):
// a FIFO policy, 1 MiB of `[` as the manifest, 100k files in the static-pod directory, and for
// --from-bundle a 255 MB facts.json of `{},`, a nesting 1,000,000 deep and a 10 GB gzip bomb.
// Target: every run under 200 MB peak RSS, exit 2 or 3 (never 1), none hangs. Run `npm run build` first.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, cpSync, mkdtempSync, openSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(repo, 'dist/cli.js');
const reporter = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nmaxrss-kb '+process.resourceUsage().maxRSS+'\\n'))`;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-bench-hostile-'));
const MB = 1024 * 1024;

function run(args) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', reporter, cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (code) => {
      clearTimeout(killer);
      const rss = /maxrss-kb (\d+)/.exec(stderr);
      resolve({
        code,
        seconds: (performance.now() - started) / 1000,
        peakRssMb: rss ? Number(rss[1]) / 1024 : NaN,
        said: stderr.split('\n').find((l) => l.startsWith('prisma-audit:')) ?? '',
      });
    });
  });
}

function nodeRoot(name, mutate) {
  const root = path.join(tmp, name);
  cpSync(path.join(repo, 'fixtures/scenarios/kubeadm-healthy/root'), root, { recursive: true });
  mutate(root);
  return root;
}

/** The 512-byte tar header of a file entry. */
async function tarHeader(name, size) {
  const pack = tar.pack();
  pack.entry({ name, size });
  for await (const chunk of pack) return chunk.subarray(0, 512);
}

/** A .tar.gz written as gzip members: a member is compressed once and repeated, so a 10 GB bomb
 * costs a few MB and a second to make (a concatenation of gzip members is one gzip stream). */
async function bomb(file, entries, entryBytes) {
  const zeros = gzipSync(Buffer.alloc(entryBytes), { level: 9 });
  const fd = openSync(file, 'w');
  for (let i = 0; i < entries; i++) {
    writeSync(fd, gzipSync(await tarHeader(`files/var/log/big-${i}.log`, entryBytes)));
    writeSync(fd, zeros);
  }
  writeSync(fd, gzipSync(Buffer.alloc(1024)));
  closeSync(fd);
}

/** A bundle whose facts.json is `size` bytes of one pattern, written in gzip members too. */
async function factsBundle(file, pattern, size) {
  const chunk = Buffer.alloc(16 * MB, pattern).subarray(0, Math.floor((16 * MB) / pattern.length) * pattern.length);
  const member = gzipSync(chunk, { level: 9 });
  const fd = openSync(file, 'w');
  const padded = Math.ceil(size / chunk.length) * chunk.length;
  writeSync(fd, gzipSync(await tarHeader('facts.json', padded)));
  for (let at = 0; at < padded; at += chunk.length) writeSync(fd, member);
  writeSync(fd, gzipSync(Buffer.alloc(((512 - (padded % 512)) % 512) + 1024)));
  closeSync(fd);
}

const cases = [
  [
    'doctor: FIFO as the audit policy',
    async () => [
      'doctor',
      '--offline',
      '--json',
      '--root',
      nodeRoot('fifo', (r) => {
        const p = path.join(r, 'etc/kubernetes/audit/audit-policy.yaml');
        unlinkSync(p);
        execFileSync('mkfifo', [p]);
      }),
    ],
  ],
  [
    'doctor: 1 MiB of [ as the manifest',
    async () => [
      'doctor',
      '--offline',
      '--json',
      '--root',
      nodeRoot('brackets', (r) => writeFileSync(path.join(r, 'etc/kubernetes/manifests/kube-apiserver.yaml'), '['.repeat(MB))),
    ],
  ],
  [
    'doctor: 100k files in the static-pod directory',
    async () => [
      'doctor',
      '--offline',
      '--json',
      '--root',
      nodeRoot('files', (r) => {
        const dir = path.join(r, 'etc/kubernetes/manifests');
        for (let i = 0; i < 100_000; i++) closeSync(openSync(path.join(dir, `junk-${i}.yaml`), 'w'));
      }),
    ],
  ],
  [
    'bundle: 100k files in the static-pod directory',
    async () => ['bundle', '--root', path.join(tmp, 'files'), '--out', path.join(tmp, 'files.tar.gz')],
  ],
  [
    '--from-bundle: 255 MB facts.json of {},',
    async () => {
      await factsBundle(path.join(tmp, 'huge.tar.gz'), '{},', 255 * MB);
      return ['doctor', '--json', '--from-bundle', path.join(tmp, 'huge.tar.gz')];
    },
  ],
  [
    '--from-bundle: 30 MB facts.json of {}, (under the size cap)',
    async () => {
      await factsBundle(path.join(tmp, 'values.tar.gz'), '{},', 30 * MB);
      return ['doctor', '--json', '--from-bundle', path.join(tmp, 'values.tar.gz')];
    },
  ],
  [
    '--from-bundle: nesting 1,000,000 deep',
    async () => {
      const pack = tar.pack();
      pack.entry({ name: 'facts.json' }, '['.repeat(1_000_000) + ']'.repeat(1_000_000));
      pack.finalize();
      const chunks = [];
      for await (const c of pack) chunks.push(c);
      writeFileSync(path.join(tmp, 'deep.tar.gz'), gzipSync(Buffer.concat(chunks)));
      return ['doctor', '--json', '--from-bundle', path.join(tmp, 'deep.tar.gz')];
    },
  ],
  [
    '--from-bundle: 10 GB gzip bomb',
    async () => {
      await bomb(path.join(tmp, 'bomb.tar.gz'), 25, 400 * MB);
      return ['doctor', '--json', '--from-bundle', path.join(tmp, 'bomb.tar.gz')];
    },
  ],
];

let failed = false;
try {
  for (const [name, build] of cases) {
    const r = await run(await build());
    const ok = r.peakRssMb < 200 && r.code !== 1 && r.code !== null;
    failed ||= !ok;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${name}: exit ${r.code}, ${r.seconds.toFixed(1)} s, peak RSS ${r.peakRssMb.toFixed(0)} MB ${r.said ? `(${r.said.slice(0, 110)})` : ''}`,
    );
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

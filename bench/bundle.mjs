#!/usr/bin/env node
// Benchmark: `prisma-audit bundle` on a node whose kube-apiserver log is 2 GiB. Reports the peak RSS
// of the bundling process (target: < 200 MB, i.e. nothing is buffered whole) and archive sizes, also
// for every fixture node. Run `npx tsc -p .` first. Usage: node bench/bundle.mjs [GiB]
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, openSync, closeSync, writeSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(repo, 'dist/cli.js');
const gib = Number(process.argv[2] ?? 2);
// Loaded into the child: prints its own peak RSS (kB on Linux) when it exits.
const reporter = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nmaxrss-kb '+process.resourceUsage().maxRSS+'\\n'))`;

function bundle(root, out, extra = []) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', reporter, cli, 'bundle', '--root', root, '--out', out, ...extra], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const rss = /maxrss-kb (\d+)/.exec(stderr);
      if (code !== 0 || !rss) return reject(new Error(`bundle exited ${code}: ${stderr}`));
      resolve({ seconds: (performance.now() - started) / 1000, peakRssMb: Number(rss[1]) / 1024, archiveBytes: statSync(out).size });
    });
  });
}

/** Writes `bytes` of CRI-format apiserver log lines, 1 MiB at a time. */
function writeLog(file, bytes) {
  const line = (i) =>
    `2026-11-27T08:00:00.${String(i % 1e9).padStart(9, '0')}Z stderr F E1127 08:00:00.000000 1 webhook.go:154] Failed calling webhook, failing closed: Post "https://console.example.com:8083/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=?timeout=30s": dial tcp 10.0.0.5:8083: i/o timeout\n`;
  let block = '';
  for (let i = 0; block.length < 1 << 20; i++) block += line(i);
  const buf = Buffer.from(block);
  const fd = openSync(file, 'w');
  for (let written = 0; written < bytes; written += buf.length) writeSync(fd, buf);
  closeSync(fd);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-bench-'));
try {
  const fixtures = [
    ...readdirSync(path.join(repo, 'fixtures/scenarios')).map((n) => [n, path.join(repo, 'fixtures/scenarios', n, 'root')]),
    ['demo', path.join(repo, 'fixtures/demo/root')],
  ];
  for (const [name, root] of fixtures) {
    const r = await bundle(root, path.join(tmp, `${name}.tar.gz`));
    console.log(
      `fixture ${name.padEnd(16)} archive ${r.archiveBytes} bytes, peak RSS ${r.peakRssMb.toFixed(0)} MB, ${r.seconds.toFixed(1)} s`,
    );
  }
  const root = path.join(tmp, 'root');
  cpSync(path.join(repo, 'fixtures/scenarios/kubeadm-healthy/root'), root, { recursive: true });
  const logDir = path.join(root, 'var/log/pods/kube-system_kube-apiserver-x_uid/kube-apiserver');
  mkdirSync(logDir, { recursive: true });
  writeLog(path.join(logDir, '0.log'), gib * 1024 ** 3);
  console.log(`log ${(statSync(path.join(logDir, '0.log')).size / 1024 ** 3).toFixed(2)} GiB written`);
  // 3G lets the whole 2 GiB stream through the redactor and into the archive.
  for (const extra of [[], ['--max-size', '5M'], ['--max-size', '3G']]) {
    const r = await bundle(root, path.join(tmp, 'big.tar.gz'), extra);
    const label = extra.length ? extra.join(' ') : 'default (--max-size 50M)';
    console.log(
      `2 GiB log, ${label.padEnd(24)} archive ${r.archiveBytes} bytes, peak RSS ${r.peakRssMb.toFixed(0)} MB, ${r.seconds.toFixed(1)} s${r.peakRssMb < 200 ? '' : '  OVER the 200 MB target'}`,
    );
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

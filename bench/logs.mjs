// Benchmark of the node-log scanner (issue 4): a 1 GiB CRI log of realistic kube-apiserver noise with
// a few planted errors, scanned in a child process. Reports throughput, the child's peak RSS, whether
// every planted error was found (the kept lines judged as the checks judge them), and wall time
// against `grep -E -c` with the catalogue's patterns on the same file. Targets: all found, peak RSS
// < 150 MB, within 3x of grep. Run `npx tsc -p .` first.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

const dist = new URL('../dist/logs/', import.meta.url);
const GIB = 1024 ** 3;
const TARGETS = { rssMB: 150, grepRatio: 3 };

/** Lines taken from real apiserver failures, one per planted signature. */
const PLANTED = [
  [
    'webhook-x509-unknown-authority',
    `E1127 07:12:01.000001       1 metrics.go:110] Error in audit plugin 'webhook' affecting 12 audit events: Post "https://console.example:8083/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=?timeout=30s": x509: certificate signed by unknown authority`,
  ],
  [
    'webhook-connection-refused',
    `E1127 07:40:11.000001       1 metrics.go:110] Error in audit plugin 'webhook' affecting 3 audit events: Post "https://10.0.0.9:8083/api/v1/kubernetes/webhook/abc=?timeout=30s": dial tcp 10.0.0.9:8083: connect: connection refused`,
  ],
  [
    'audit-buffer-blocked',
    `E1127 08:01:02.000001       1 metrics.go:110] Error in audit plugin 'buffered' affecting 1 audit events: audit buffer queue blocked`,
  ],
  [
    'webhook-http-not-found',
    `E1127 08:30:00.000001       1 metrics.go:110] Error in audit plugin 'webhook' affecting 400 audit events: the server could not find the requested resource`,
  ],
  [
    'policy-yaml-invalid',
    `E1127 09:00:00.000001       1 run.go:74] "command failed" err="loading audit policy file: failed decoding: yaml: line 8: did not find expected key: from file /etc/kubernetes/audit/policy.yaml"`,
  ],
];

function noiseBlock(seed) {
  const lines = [];
  for (let i = 0; i < 6000; i++) {
    const n = (seed * 7919 + i * 104729) % 1_000_000;
    const t = `2026-11-27T06:${String(10 + (i % 50)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(n).padStart(9, '0')}Z`;
    const k = `I1127 06:${String(10 + (i % 50)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(n % 1e6).padStart(6, '0')}       1`;
    switch (i % 6) {
      case 0:
        lines.push(
          `${t} stderr F ${k} httplog.go:89] "HTTP" verb="GET" URI="/api/v1/namespaces/kube-system/pods/coredns-${n}?timeout=32s" latency="${n % 900}µs" userAgent="kubelet/v1.20.2 (linux/amd64) kubernetes/faecb19" audit-ID="a1b2c3d4-${n}" srcIP="10.0.0.${i % 250}:${40000 + (i % 9999)}" resp=200`,
        );
        break;
      case 1:
        lines.push(
          `${t} stderr F ${k} trace.go:205] Trace[${n}]: "List etcd3" key:/pods/default,resourceVersion:,resourceVersionMatch:,limit:500,continue: (27-Nov-2026 06:55:35.${n}) (total time: ${n % 999}ms):`,
        );
        break;
      case 2:
        lines.push(`${t} stderr F ${k} trace.go:205] Trace[${n}]: ---"About to write a response" ${n % 500}ms (06:55:00.${n})`);
        break;
      case 3:
        lines.push(`${t} stderr F ${k} controller.go:609] quota admission added evaluator for: leases.coordination.k8s.io`);
        break;
      case 4:
        lines.push(
          `${t} stderr F ${k} httplog.go:89] "HTTP" verb="PATCH" URI="/apis/apps/v1/namespaces/monitoring/deployments/prometheus-${n}" latency="${n % 90}ms" resp=200 body="${'{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"'.repeat(1)}${'x'.repeat(1500 + (n % 2000))}"}}}"`,
        );
        break;
      default:
        lines.push(`${t} stderr F ${k} cacher.go:1238] Forcing watcher close due to unresponsiveness: *core.Endpoints`);
    }
  }
  return Buffer.from(lines.join('\n') + '\n');
}

async function generate(file) {
  const out = createWriteStream(file);
  const blocks = [0, 1, 2, 3].map(noiseBlock);
  const plantEvery = Math.floor(GIB / blocks[0].length / PLANTED.length);
  let written = 0;
  let index = 0;
  while (written < GIB) {
    const block = blocks[index % blocks.length];
    if (!out.write(block)) await once(out, 'drain');
    written += block.length;
    index++;
    const planted = PLANTED[index / plantEvery - 1];
    if (index % plantEvery === 0 && planted) {
      const line = Buffer.from(`2026-11-27T0${index % 9}:00:00.000000000Z stderr F ${planted[1]}\n`);
      out.write(line);
      written += line.length;
    }
  }
  out.end();
  await once(out, 'finish');
}

/** Runs in the child: scans the file and reports what it found and its peak RSS. */
async function child(file) {
  const { scanLog } = await import(new URL('scan.js', dist).href);
  const { countSignatures } = await import(new URL('judge.js', dist).href);
  const started = performance.now();
  const result = await scanLog(createReadStream(file, { highWaterMark: 1024 * 1024 }), { now: new Date('2026-11-27T12:00:00Z') });
  // Judging the kept lines is the check's work, timed too: gathering and judging together are what grep does.
  const counts = countSignatures(result);
  const ms = performance.now() - started;
  const found = Object.fromEntries([...counts].map(([id, c]) => [id, c.count]));
  process.stdout.write(JSON.stringify({ ms, found, maxRssKB: process.resourceUsage().maxRSS }));
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, out, ms: performance.now() - started }));
  });
}

async function main() {
  const { SIGNATURES } = await import(new URL('signatures.js', dist).href);
  const dir = await mkdtemp(join(tmpdir(), 'prisma-audit-bench-'));
  const file = join(dir, 'kube-apiserver.log');
  try {
    await generate(file);
    const size = (await stat(file)).size;
    const scan = await run(process.execPath, [new URL(import.meta.url).pathname, '--child', file]);
    const report = JSON.parse(scan.out);
    const grepArgs = ['-E', '-c', ...SIGNATURES.flatMap((s) => ['-e', s.pattern.source]), file];
    const grep = await run('grep', grepArgs);
    const missing = PLANTED.filter(([id]) => !report.found[id]).map(([id]) => id);
    const figures = {
      sizeMB: +(size / 1e6).toFixed(0),
      scanSeconds: +(scan.ms / 1000).toFixed(2),
      throughputMBps: +(size / 1e6 / (scan.ms / 1000)).toFixed(0),
      peakRssMB: +(report.maxRssKB / 1024).toFixed(1),
      grepSeconds: +(grep.ms / 1000).toFixed(2),
      grepMatchingLines: Number(grep.out.trim()),
      ratioToGrep: +(scan.ms / grep.ms).toFixed(2),
      plantedFound: `${PLANTED.length - missing.length}/${PLANTED.length}`,
      missing,
    };
    console.log(JSON.stringify(figures, null, 2));
    const ok = missing.length === 0 && figures.peakRssMB < TARGETS.rssMB && figures.ratioToGrep <= TARGETS.grepRatio;
    console.log(ok ? 'logs bench: all targets met' : 'logs bench: TARGET MISSED');
    process.exitCode = ok ? 0 : 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else await main();

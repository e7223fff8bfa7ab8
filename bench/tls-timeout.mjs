// Benchmark: a webhook host that accepts TCP and never answers TLS must cost ONE timeout for the
// whole run, not one per network check. Runs the real engine (liveFacts + runChecks) with the
// webhookProbe collector and both network checks against such a server on 127.0.0.1, with a 2 s
// timeout, and prints the wall time. Target: < timeout + 1 s.
// Usage: node bench/tls-timeout.mjs   (builds dist/ first with tsc)
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';

const TIMEOUT_MS = 2000;
execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
const { liveFacts } = await import('../dist/facts/gather.js');
const { runChecks } = await import('../dist/checks/run.js');
const { webhookProbeCollector } = await import('../dist/facts/webhook-probe.js');
const { webhookTlsChain } = await import('../dist/checks/webhook-tls-chain.js');
const { webhookReachable } = await import('../dist/checks/webhook-reachable.js');

const sockets = new Set();
const server = createServer((s) => sockets.add(s)); // accepts, never speaks
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

// The two facts the probe depends on, as their collectors would report them.
const kubeconfig = {
  clusters: [{ name: 'prisma', cluster: { server: `https://127.0.0.1:${port}/api/v1/kubernetes/webhook/x=` } }],
  contexts: [{ name: 'webhook', context: { cluster: 'prisma' } }],
  'current-context': 'webhook',
};
const collectors = {
  apiserver: { key: 'apiserver', deps: [], collect: async () => ({ env: [] }) },
  webhookConfig: {
    key: 'webhookConfig',
    deps: [],
    collect: async () => ({
      path: '/etc/kubernetes/audit-webhook.yaml',
      containerPath: '/etc/kubernetes/audit-webhook.yaml',
      value: kubeconfig,
      lines: {},
    }),
  },
  webhookProbe: webhookProbeCollector,
};
const ctx = { root: '/', manifest: null, kubernetesVersion: null, timeoutMs: TIMEOUT_MS, offline: false, now: new Date() };

const started = performance.now();
const report = await runChecks([webhookTlsChain, webhookReachable], liveFacts(ctx, collectors, 60_000), {
  offline: false,
  now: ctx.now,
  tool: { name: 'prisma-audit', version: 'bench' },
  target: { root: '/', demo: false, offline: false },
});
const wallMs = Math.round(performance.now() - started);

for (const s of sockets) s.destroy();
server.close();
for (const check of report.checks) console.log(`${check.id}: ${check.status}: ${check.summary}`);
const verdict = wallMs < TIMEOUT_MS + 1000 ? 'OK' : 'TOO SLOW';
console.log(`tls-timeout: timeout ${TIMEOUT_MS} ms, whole run ${wallMs} ms (target < ${TIMEOUT_MS + 1000} ms): ${verdict}`);
process.exitCode = verdict === 'OK' ? 0 : 1;

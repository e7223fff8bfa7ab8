// Seeded random mutations of the manifest, policy and webhook kubeconfig through the real CLI:
// never a crash, a hang or a stack trace; always one valid JSON document and a documented exit code.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, scenarioRoot } from './helpers/cli.js';
import { mutate, prng } from './helpers/mutate.js';

const FILES = [
  'etc/kubernetes/manifests/kube-apiserver.yaml',
  'etc/kubernetes/audit/audit-policy.yaml',
  'etc/kubernetes/audit/audit-webhook.yaml',
];
const RUNS = 340; // three files mutated per run: 1,020 mutations
const PARALLEL = 4;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pa-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('robustness', () => {
  it(`survives ${RUNS * FILES.length} seeded mutations`, async () => {
    const base = scenarioRoot('kubeadm-healthy');
    const originals = FILES.map((f) => readFileSync(path.join(base, f), 'utf8'));
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < RUNS) {
        const run = next++;
        const rnd = prng(0xc0ffee + run);
        const root = path.join(tmp, `run-${run}`);
        cpSync(base, root, { recursive: true });
        const applied = FILES.map((f, i) => {
          const m = mutate(originals[i]!, rnd);
          writeFileSync(path.join(root, f), m.data);
          return `${f}:${m.name}`;
        });
        const r = await runCli(['doctor', '--root', root, '--json', '--offline']);
        const label = `seed ${0xc0ffee + run} (${applied.join(', ')})`;
        // 5: the mutated manifest left nothing checkable (issue 15's exit contract).
        if (![0, 3, 4, 5].includes(r.code ?? -1)) failures.push(`${label}: exit ${r.code}: ${r.stderr.slice(0, 300)}`);
        else if (/\n\s+at .+:\d+:\d+/.test(r.stderr) || r.stderr.includes('internal error'))
          failures.push(`${label}: stack trace: ${r.stderr.slice(0, 300)}`);
        else {
          try {
            const report = JSON.parse(r.stdout);
            const counted = Object.values(report.summary as Record<string, number>).reduce((a, b) => a + b, 0);
            if (report.schemaVersion !== 1 || report.checks.length === 0 || counted !== report.checks.length)
              failures.push(`${label}: unexpected report shape`);
          } catch {
            failures.push(`${label}: stdout is not JSON: ${r.stdout.slice(0, 200)}`);
          }
        }
        rmSync(root, { recursive: true, force: true });
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    expect(failures).toEqual([]);
  }, 600_000);
});

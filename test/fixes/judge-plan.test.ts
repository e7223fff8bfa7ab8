// judgePlan learns which file a failing check waits for from check metadata (needsFile) and the
// result's hostPaths, never from its summary.
import { describe, expect, it } from 'vitest';
import { judgePlan } from '../../src/fixes/verify.js';
import type { FixOutcome, FixPlan } from '../../src/fixes/plan.js';
import type { FixId } from '../../src/fixes/types.js';
import type { CheckResult, Report, Status } from '../../src/model/report.js';

const MANIFEST = '/etc/kubernetes/manifests/kube-apiserver.yaml';
const POLICY = '/etc/kubernetes/audit/audit-policy.yaml';

const result = (id: string, status: Status, hostPaths?: string[]): CheckResult => ({
  id,
  title: id,
  status,
  summary: `${id} is ${status}`,
  evidence: [],
  remediation: { text: 'patch the manifest', commands: [], fix: 'manifest-patch' },
  durationMs: 0,
  ...(hostPaths ? { hostPaths } : {}),
});

const report = (checks: CheckResult[]): Report => ({
  schemaVersion: 1,
  tool: { name: 'prisma-audit', version: 'test' },
  target: { root: '/', manifest: MANIFEST, distribution: 'kubeadm', kubernetesVersion: null, demo: false, offline: true },
  checks,
  summary: { pass: 0, warn: 0, fail: checks.length, skip: 0, unknown: 0 },
});

const outcome = (id: FixId, checks: FixOutcome['checks'], writes: boolean): FixOutcome => ({
  id,
  why: 'test',
  checks,
  refusal: writes ? null : { fix: id, reason: 'cannot', manualSteps: [] },
  artifacts: writes ? [{ kind: 'write', fix: id, hostPath: MANIFEST, contents: '', description: '' }] : [],
  withheld: null,
  deferred: [],
  remaining: [],
});

/** manifest-patch writes; audit-policy, which would write the policy file, refused. */
function plan(): FixPlan {
  const patch = outcome(
    'manifest-patch',
    [
      { id: 'audit-policy-flag', status: 'fail' },
      { id: 'audit-files-readable', status: 'fail' },
    ],
    true,
  );
  const outcomes = [patch, outcome('audit-policy', [], false)];
  return {
    outcomes,
    artifacts: patch.artifacts,
    files: [{ hostPath: POLICY, fix: 'audit-policy' }],
    awaitingRestart: [],
    verified: null,
  };
}

describe('judgePlan', () => {
  it('defers the flag and the missing file to the fix that could not write the file', () => {
    const p = plan();
    const before = report([result('audit-policy-flag', 'fail'), result('audit-files-readable', 'fail', [POLICY])]);
    const withheld = judgePlan(p, before, before);
    expect(withheld.size).toBe(0);
    expect(p.outcomes[0]!.deferred).toEqual([
      'audit-policy-flag stays failing until audit-policy can write its file',
      'audit-files-readable stays failing until audit-policy can write its file',
    ]);
  });

  it('withholds the fix when the file that still fails is not one the plan writes', () => {
    const p = plan();
    const before = report([result('audit-policy-flag', 'fail'), result('audit-files-readable', 'fail', ['/elsewhere/policy.yaml'])]);
    const withheld = judgePlan(p, before, before);
    expect(withheld.get('manifest-patch')).toBe('audit-files-readable would still fail after it: audit-files-readable is fail');
  });
});

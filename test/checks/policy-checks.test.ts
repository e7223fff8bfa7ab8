import { describe, expect, it } from 'vitest';
import { auditPolicyCoverage } from '../../src/checks/audit-policy-coverage.js';
import { auditPolicyValid } from '../../src/checks/audit-policy-valid.js';
import { apiserver, evaluate, ok, parsedFile } from '../helpers/facts.js';

const HEAD = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';
const VENDOR = `${HEAD}rules:
  - level: Request
    resources:
    - group: ""
      resources: ["pods/exec", "pods/attach"]
  - level: Request
    resources:
    - group: ""
      resources: ["pods"]
    verbs: ["create"]
  - level: Request
    verbs: ["create", "update", "patch", "delete"]
    namespaces: ["twistlock"]
  - level: None
`;
const run = (check: typeof auditPolicyValid, text: string, version = '1.28.2') =>
  evaluate(check, {
    apiserver: ok(apiserver([], { kubernetesVersion: version })),
    policy: ok(parsedFile(text, '/etc/kubernetes/audit/policy.yaml')),
  });

describe('audit-policy-valid', () => {
  it.each([
    [VENDOR, 'pass'],
    [`${HEAD}rules: []\n`, 'fail'],
    [`${HEAD}rules:\n  - level: request\n`, 'fail'],
    [`${HEAD}rules:\n  - level: None\n    omitStages: ["ResponseEnded"]\n`, 'fail'],
    [`${HEAD}rules:\n  - level: Metadata\n    nonResourceURLs: ["healthz"]\n`, 'fail'],
    [`${HEAD}rules:\n  - level: Metadata\n    verbs: get\n`, 'fail'],
    [VENDOR.replace('audit.k8s.io/v1', 'audit.k8s.io/v1beta1'), 'fail'],
    ['kind: Policy\nrules:\n  - level: None\n', 'fail'],
    ['', 'fail'],
    [`${HEAD}rules:\n  - level: Request\n   resources:\n`, 'fail'],
  ])('%#: %s', (text, want) => expect(run(auditPolicyValid, text).status).toBe(want));

  it('warns (not fails) for v1beta1 when the version is unknown', () => {
    expect(run(auditPolicyValid, VENDOR.replace('audit.k8s.io/v1', 'audit.k8s.io/v1beta1'), null as unknown as string).status).toBe('warn');
  });

  it('points at the line of the bad level', () => {
    const f = run(auditPolicyValid, `${HEAD}rules:\n  - level: Metadata\n  - level: Nothing\n`);
    expect(f.summary).toContain('/etc/kubernetes/audit/policy.yaml:5');
    expect(f.summary).toContain('rules[1].level: Unsupported value: "Nothing"');
  });
});

describe('audit-policy-coverage', () => {
  it.each([
    [VENDOR, 'pass'],
    [`${HEAD}rules:\n  - level: None\n${VENDOR.split('rules:\n')[1]}`, 'fail'],
    [`${HEAD}rules:\n  - level: Metadata\n`, 'warn'],
    [VENDOR.replace('verbs: ["create"]', 'verb: ["create"]'), 'warn'],
    [
      VENDOR.replace(
        '- group: ""\n      resources: ["pods/exec", "pods/attach"]',
        '- group: core\n      resources: ["pods/exec", "pods/attach"]',
      ),
      'fail',
    ],
    [`${HEAD}omitStages: ["ResponseStarted", "ResponseComplete"]\nrules:\n  - level: Request\n`, 'warn'],
  ])('%#: %s', (text, want) => expect(run(auditPolicyCoverage, text).status).toBe(want));

  it('names a catch-all placed early', () => {
    const f = run(auditPolicyCoverage, `${HEAD}rules:\n  - level: RequestResponse\n  - level: None\n`);
    expect(f.status).toBe('warn');
    expect(f.summary).toMatch(/rule 1 .* matches every request/);
  });
});

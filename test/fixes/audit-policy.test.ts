import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PRISMA_NEEDS } from '../../src/checks/rules.js';
import { auditPolicy } from '../../src/fixes/generators/audit-policy.js';
import { auditLayout } from '../../src/fixes/generators/layout.js';
import { RECOMMENDED_POLICY } from '../../src/fixes/generators/recommended-policy.js';
import { isRefusal, type GatheredFacts, type WriteArtifact } from '../../src/fixes/types.js';
import { LEVELS, readPolicy } from '../../src/parse/policy.js';
import { decide } from '../../src/parse/policy-match.js';
import { parseYaml } from '../../src/parse/yaml-file.js';
import { apiserverFact, missing, parsedFact, pod } from '../helpers/fix-facts.js';

const POLICY_PATH = '/etc/kubernetes/audit/audit-policy.yaml';
const REAL = fileURLToPath(new URL('../../fixtures/real-world/policies', import.meta.url));
const api = apiserverFact(pod([`--audit-policy-file=${POLICY_PATH}`]));
const layout = auditLayout((api as { ok: true; value: never }).value, false);

function generate(policy: GatheredFacts['policy']): string {
  const result = auditPolicy({ apiserver: api, policy }, layout);
  if (isRefusal(result)) throw new Error(result.reason);
  return (result[0] as WriteArtifact).contents;
}

const repair = (text: string) => generate(parsedFact(text, POLICY_PATH));

/** The policy loads on 1.28 and sends Prisma every request it needs at Request or more. */
function expectLoadsAndCovers(text: string): void {
  const { policy, problems } = readPolicy(parseYaml(text).value, '1.28.2', true);
  expect(problems.filter((p) => p.severity === 'fatal')).toEqual([]);
  for (const need of PRISMA_NEEDS)
    expect(LEVELS.indexOf(decide(policy!, need.req).level as never), need.what).toBeGreaterThanOrEqual(LEVELS.indexOf('Request'));
}

const VENDOR =
  'rules:\n- level: Request\n  resources:\n  - group: ""\n    resources: ["pods/exec", "pods/attach"]\n- level: Request\n  verbs: ["create"]\n  resources:\n  - group: ""\n    resources: ["pods"]\n- level: Request\n  verbs: ["create", "update", "patch", "delete"]\n  namespaces: ["twistlock"]\n';

describe('audit-policy', () => {
  it.each([
    ['no policy file', missing('no such file')],
    ['a policy that is not YAML', parsedFact('rules:\n  - level: [\n', POLICY_PATH)],
  ])('writes the vendor policy for %s', (_name, fact) => {
    expect(generate(fact)).toBe(RECOMMENDED_POLICY);
    expectLoadsAndCovers(RECOMMENDED_POLICY);
  });

  it.each([
    [
      'a lowercase level',
      `apiVersion: audit.k8s.io/v1\nkind: Policy\n${VENDOR.replace('level: Request', 'level: request')}`,
      'level: Request\n  resources:',
    ],
    [
      'verb: instead of verbs:',
      `apiVersion: audit.k8s.io/v1\nkind: Policy\n${VENDOR.replace('verbs: ["create"]', 'verb: ["create"]')}`,
      'verbs: ["create"]',
    ],
    [
      'resource: in a resources entry',
      `apiVersion: audit.k8s.io/v1\nkind: Policy\n${VENDOR.replace('resources: ["pods"]', 'resource: ["pods"]')}`,
      'resources: ["pods"]',
    ],
    ['group: core', `apiVersion: audit.k8s.io/v1\nkind: Policy\n${VENDOR.replaceAll('group: ""', 'group: core')}`, 'group: ""'],
    [
      'a v1beta1 apiVersion (its comment kept)',
      `apiVersion: audit.k8s.io/v1beta1 # from the old guide\nkind: Policy\n${VENDOR}`,
      'apiVersion: audit.k8s.io/v1 # from the old guide',
    ],
  ])('repairs %s in place', (_name, input, expected) => {
    const out = repair(input);
    expect(out).toContain(expected);
    expectLoadsAndCovers(out);
  });

  it('moves an early catch-all last and inserts the missing vendor rules before it, keeping comments', () => {
    const out = repair(
      'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n# silence the rest\n- level: None\n- level: Metadata\n  resources:\n  - group: ""\n    resources: ["secrets"]\n',
    );
    expectLoadsAndCovers(out);
    const rules = readPolicy(parseYaml(out).value, null, true).policy!.rules;
    expect(rules.at(-1)!.level).toBe('None');
    expect(rules[0]!.resources[0]!.resources).toEqual(['secrets']);
    expect(out).toContain('# silence the rest');
  });

  it('changes only the bytes of a field it corrects when nothing moves (mixed indentation kept)', () => {
    const text = readFileSync(path.join(REAL, 'sysdig-v1beta1.yaml'), 'utf8');
    expect(repair(text)).toBe(text.replace('audit.k8s.io/v1beta1', 'audit.k8s.io/v1'));
  });

  it('leaves a policy that is already right byte for byte', () => {
    const text = `# mine\napiVersion: audit.k8s.io/v1\nkind: Policy\n${VENDOR}- level: None\n`;
    expect(repair(text)).toBe(text);
  });

  it('refuses to replace a policy it could not read', () => {
    const result = auditPolicy(
      {
        apiserver: api,
        policy: { ok: false, error: { reason: 'permission', message: 'cannot read the audit policy: permission denied' } },
      },
      layout,
    );
    expect(isRefusal(result) && result.reason).toMatch(/permission denied/);
  });

  it('refuses a level it would have to guess', () => {
    const result = auditPolicy(
      { apiserver: api, policy: parsedFact('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: loud\n', POLICY_PATH) },
      layout,
    );
    expect(isRefusal(result) && result.reason).toMatch(/rule 1: level "loud"/);
  });

  it.each(readdirSync(REAL))('real-world %s: the repaired policy loads, covers Prisma and keeps its comments', (file) => {
    const text = readFileSync(path.join(REAL, file), 'utf8');
    const out = repair(text);
    expectLoadsAndCovers(out);
    const comments = (s: string) => s.split('\n').filter((l) => l.trim().startsWith('#')).length;
    expect(comments(out)).toBeGreaterThanOrEqual(comments(text));
  });
});

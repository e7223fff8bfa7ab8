// The version-rules table: one case per row (a node the rule bites), judged just below and at the
// version where it starts to bite; and the upgrade-rules check's wording.
import { describe, expect, it } from 'vitest';
import { rulesCrossed, upgradeRules } from '../../src/checks/upgrade-rules.js';
import { VERSION_RULES, inForce, ruleCitation } from '../../src/checks/version-rules.js';
import { auditPolicyValid } from '../../src/checks/audit-policy-valid.js';
import { auditWebhookMode } from '../../src/checks/audit-webhook-mode.js';
import { dynamicAuditLeftovers } from '../../src/checks/dynamic-audit-leftovers.js';
import type { ApiserverConfig, ParsedFile } from '../../src/model/node.js';
import { apiserver, evaluate, ok, parsedFile } from '../helpers/facts.js';

const POLICY_V1 = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n';
const ROWS: Record<string, { api: ApiserverConfig; policy?: ParsedFile; finds: RegExp }> = {
  'dynamic-audit-removed': {
    api: apiserver(['--feature-gates=A=true,DynamicAuditing=true']),
    finds: /DynamicAuditing=true in \/etc\/kubernetes\/manifests\/kube-apiserver.yaml/,
  },
  'audit-policy-v1-only': {
    api: apiserver([]),
    policy: parsedFile(POLICY_V1.replace('/v1', '/v1beta1')),
    finds: /is apiVersion audit.k8s.io\/v1beta1/,
  },
  'audit-event-version-v1-only': {
    api: apiserver(['--audit-log-version=audit.k8s.io/v1beta1']),
    finds: /--audit-log-version=audit.k8s.io\/v1beta1 in .*kube-apiserver.yaml:11/,
  },
  'strict-policy-decoding': {
    api: apiserver([]),
    policy: parsedFile(`${POLICY_V1}  verb: ["get"]\n`),
    finds: /unknown field "rules.0.verb"/,
  },
  'advanced-auditing-gate-removed': {
    api: apiserver(['--feature-gates=AdvancedAuditing=true']),
    finds: /--feature-gates=AdvancedAuditing=true/,
  },
  'kubeadm-v1beta4-extra-args': { api: apiserver([]), finds: /kubeadm.k8s.io\/v1beta4 with list-form extraArgs/ },
};

const below = (since: string) => {
  const [maj, min] = since.split('.').map(Number);
  return `${maj}.${min! - 1}`;
};

describe('version-rules table', () => {
  it('has a case here for every row, and a source for every row', () => {
    expect(Object.keys(ROWS).sort()).toEqual(VERSION_RULES.map((r) => r.id).sort());
    for (const r of VERSION_RULES)
      expect(r.source).toMatch(/^https:\/\/(github\.com\/kubernetes\/kubernetes\/pull\/\d+|kubernetes\.io\/docs\/)/);
  });

  it.each(VERSION_RULES.map((r) => [r.id, r] as const))('%s: bites from its version, not before', (id, r) => {
    const row = ROWS[id]!;
    const node = { api: row.api, policy: row.policy ?? null };
    expect(rulesCrossed(null, below(r.since), node).find((c) => c.rule.id === id)).toBeUndefined();
    const at = rulesCrossed(null, r.since, node).find((c) => c.rule.id === id)!;
    expect(at.found.join('\n')).toMatch(row.finds);
    expect(inForce(id, r.since)).toBe(true);
    expect(inForce(id, below(r.since))).toBe(false);
    // A node without the setting is not affected (except the kubeadm note, which names the snippet).
    const clean = rulesCrossed(null, r.since, { api: apiserver([], { distribution: 'rke2' }), policy: parsedFile(POLICY_V1) }).find(
      (c) => c.rule.id === id,
    )!;
    expect(clean.found).toEqual([]);
  });
});

describe('upgrade-rules', () => {
  const demo = apiserver(['--feature-gates=DynamicAuditing=true'], { kubernetesVersion: '1.31', upgradeTo: '1.31', upgradeFrom: '1.18.4' });
  it('names the version where each rule bites and fails on a fatal one', () => {
    const f = evaluate(upgradeRules, { apiserver: ok(demo), policy: ok(parsedFile(POLICY_V1.replace('/v1', '/v1beta1'))) });
    expect(f.status).toBe('fail');
    expect(f.summary).toMatch(
      /^1.18.4 -> 1.31: 2 version rule\(s\) bite this node; first: dynamic audit removed from 1.19 \(kubernetes\/kubernetes#91502\)/,
    );
    expect(f.evidence?.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/^kube-apiserver from 1.24 \(kubernetes\/kubernetes#108092\): .*is apiVersion audit.k8s.io\/v1beta1/),
    );
  });

  it('a clean node passes (the kubeadm note is only evidence); without --upgrade-to it skips', () => {
    const clean = apiserver([], { kubernetesVersion: '1.31', upgradeTo: '1.31', upgradeFrom: '1.28.2' });
    const f = evaluate(upgradeRules, { apiserver: ok(clean), policy: ok(parsedFile(POLICY_V1)) });
    expect(f.status).toBe('pass');
    expect(f.evidence?.map((e) => e.message)).toContainEqual(expect.stringContaining(`${ruleCitation(VERSION_RULES.at(-1)!)}`));
    expect(evaluate(upgradeRules, { apiserver: ok(apiserver([])), policy: ok(parsedFile(POLICY_V1)) }).status).toBe('skip');
  });

  it('the other checks read their gates from the same table', () => {
    const at = (v: string, flags: string[]) => apiserver(['--audit-webhook-config-file=/w', ...flags], { kubernetesVersion: v });
    expect(evaluate(dynamicAuditLeftovers, { apiserver: ok(at('1.18', ['--audit-dynamic-configuration'])) }).status).toBe('warn');
    expect(evaluate(dynamicAuditLeftovers, { apiserver: ok(at('1.19', ['--audit-dynamic-configuration'])) }).status).toBe('fail');
    expect(evaluate(auditWebhookMode, { apiserver: ok(at('1.23', ['--audit-webhook-version=audit.k8s.io/v1beta1'])) }).status).toBe('pass');
    expect(evaluate(auditWebhookMode, { apiserver: ok(at('1.24', ['--audit-webhook-version=audit.k8s.io/v1beta1'])) }).status).toBe('fail');
    const v1beta1 = parsedFile(POLICY_V1.replace('/v1', '/v1beta1'));
    expect(evaluate(auditPolicyValid, { apiserver: ok(at('1.23', [])), policy: ok(v1beta1) }).status).toBe('warn');
    expect(evaluate(auditPolicyValid, { apiserver: ok(at('1.24', [])), policy: ok(v1beta1) }).status).toBe('fail');
  });
});

// Our verdicts against what a real kube-apiserver 1.20.2 printed for the same input files
// (fixtures/kube-apiserver-1.20.2: real stderr, not hand-written; PROVENANCE.md says how it was captured).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/parse/yaml-file.js';
import { readPolicy } from '../../src/parse/policy.js';
import { resolveKubeconfig } from '../../src/parse/kubeconfig.js';
import { decodeGoBase64 } from '../../src/parse/ca-data.js';
import { dynamicLeftovers, webhookOptionProblems } from '../../src/checks/rules.js';
import { FIXTURES } from '../helpers/cli.js';
import { apiserver } from '../helpers/facts.js';

const DIR = path.join(FIXTURES, 'kube-apiserver-1.20.2');
const input = (f: string) => parseYaml(readFileSync(path.join(DIR, 'inputs', f), 'utf8'));
const errorLine = (log: string) =>
  readFileSync(path.join(DIR, log), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Error: '))!;

describe('audit policy verdicts match kube-apiserver 1.20.2', () => {
  const policyErrors = (f: string) => readPolicy(input(f).value, '1.20.2', false).problems.filter((p) => p.severity === 'fatal');

  it('bad level: same field error text', () => {
    const [p] = policyErrors('bad-level-policy.yaml');
    expect(errorLine('policy-bad-level.log')).toContain(`loading audit policy file: ${p!.message}: from file`);
  });

  it('no rules: same text', () => {
    const [p] = policyErrors('empty-rules-policy.yaml');
    expect(errorLine('policy-no-rules.log')).toContain(`loading audit policy file: ${p!.message}: from file`);
  });

  it('broken YAML: a parse error on the line the apiserver names', () => {
    const parsed = input('broken-yaml-policy.yaml');
    expect(parsed.error).not.toBeNull();
    const line = /yaml: line (\d+)/.exec(errorLine('policy-broken-yaml.log'))![1];
    // go-yaml names the line where the broken mapping starts; we name the offending line after it.
    expect(parsed.error!.line).toBeGreaterThanOrEqual(Number(line));
    expect(parsed.error!.line).toBeLessThanOrEqual(Number(line) + 1);
  });

  it('v1beta1 loads on 1.20 (observed), refused from 1.24', () => {
    expect(readPolicy(input('v1beta1-policy.yaml').value, '1.20.2', false).problems.filter((p) => p.severity === 'fatal')).toEqual([]);
    expect(readPolicy(input('v1beta1-policy.yaml').value, '1.24.0', true).problems.some((p) => p.severity === 'fatal')).toBe(true);
  });

  it('the healthy vendor policy loads', () => {
    expect(policyErrors('audit-policy.yaml')).toEqual([]);
  });
});

describe('webhook kubeconfig verdicts match kube-apiserver 1.20.2', () => {
  const firstError = (f: string) => resolveKubeconfig(input(f).value).problems.find((p) => p.fatal)!.apiserverError!;

  it.each([
    ['empty-vars-webhook.yaml', 'webhook-empty-server.log'],
    ['bad-context-webhook.yaml', 'webhook-bad-context.log'],
    ['both-ca-webhook.yaml', 'webhook-ca-file-and-data.log'],
  ])('%s', (file, log) => {
    const ours = firstError(file);
    const theirs = errorLine(log).replace('Error: initializing audit webhook: ', '');
    // The apiserver joins several problems in one [list]; ours is the first of them.
    expect(theirs.replace(/^invalid configuration: \[/, 'invalid configuration: ')).toContain(
      ours.replace(/^invalid configuration: \[/, 'invalid configuration: ').replace(/\]$/, ''),
    );
  });

  it('bad base64: same byte offset', () => {
    const kc = resolveKubeconfig(input('bad-base64-webhook.yaml').value);
    const decoded = decodeGoBase64(kc.caData!);
    expect(decoded.ok).toBe(false);
    expect(errorLine('webhook-bad-base64.log')).toContain(`decode base64: ${(decoded as { apiserverError: string }).apiserverError}`);
  });

  it('the healthy vendor kubeconfig resolves without problems', () => {
    expect(resolveKubeconfig(input('audit-webhook.yaml').value).problems).toEqual([]);
  });
});

describe('flag verdicts match kube-apiserver 1.20.2', () => {
  it('invalid webhook mode', () => {
    const [p] = webhookOptionProblems(apiserver(['--audit-webhook-config-file=/w.yaml', '--audit-webhook-mode=async']));
    expect(errorLine('webhook-bad-mode.log')).toBe(p!.apiserverError);
  });

  it.each([
    ['--audit-dynamic-configuration', 'dynamic-flag.log'],
    ['--feature-gates=DynamicAuditing=true', 'dynamic-feature-gate.log'],
    ['--runtime-config=auditregistration.k8s.io/v1alpha1=true', 'dynamic-runtime-config.log'],
  ])('%s', (flag, log) => {
    const [leftover] = dynamicLeftovers(apiserver([flag]).flags);
    expect(errorLine(log)).toBe(leftover!.apiserverError);
  });
});

import { describe, expect, it } from 'vitest';
import { auditPolicyFlag, auditWebhookFlag } from '../../src/checks/audit-flags.js';
import { auditLogPath } from '../../src/checks/audit-log-path.js';
import { auditWebhookMode } from '../../src/checks/audit-webhook-mode.js';
import { dynamicAuditLeftovers } from '../../src/checks/dynamic-audit-leftovers.js';
import { apiserver, evaluate, ok } from '../helpers/facts.js';

const status = (check: Parameters<typeof evaluate>[0], flags: string[], over = {}) =>
  evaluate(check, { apiserver: ok(apiserver(flags, over)), auditPaths: ok([]) }).status;

describe('audit-policy-flag / audit-webhook-flag', () => {
  it.each([
    [['--audit-policy-file=/p.yaml'], 'pass'],
    [['--audit-policy-file='], 'fail'],
    [[], 'fail'],
    [['--audit-policy-file=/p.yaml', '--audit-policy-file='], 'fail'],
  ])('policy %j -> %s', (flags, want) => expect(status(auditPolicyFlag, flags)).toBe(want));

  it('names the file and line in the summary', () => {
    const f = evaluate(auditWebhookFlag, { apiserver: ok(apiserver(['--audit-webhook-config-file=/w.yaml'])) });
    expect(f.summary).toBe('--audit-webhook-config-file=/w.yaml (/etc/kubernetes/manifests/kube-apiserver.yaml:11)');
  });

  it('tells RKE2 users to edit config.yaml, not the generated manifest', () => {
    const f = evaluate(auditWebhookFlag, { apiserver: ok(apiserver([], { distribution: 'rke2' })) });
    expect(f.remediation?.text).toMatch(/\/etc\/rancher\/rke2\/config.yaml/);
  });

  it('skips on an operator-managed apiserver', () => {
    expect(status(auditPolicyFlag, [], { mode: 'operator-managed', distribution: 'openshift' })).toBe('skip');
  });
});

describe('dynamic-audit-leftovers', () => {
  it.each([
    [['--feature-gates=A=true,DynamicAuditing=true'], 'fail'],
    [['--feature-gates=A=true'], 'pass'],
    [['--runtime-config=api/all=true,auditregistration.k8s.io/v1alpha1=true'], 'fail'],
    [['--audit-dynamic-configuration=false'], 'fail'],
  ])('%j -> %s', (flags, want) => expect(status(dynamicAuditLeftovers, flags)).toBe(want));

  it('only warns on a version that still has dynamic audit', () => {
    expect(status(dynamicAuditLeftovers, ['--audit-dynamic-configuration'], { kubernetesVersion: '1.18.4' })).toBe('warn');
  });

  it('judges every occurrence of --feature-gates, not only the last', () => {
    expect(status(dynamicAuditLeftovers, ['--feature-gates=DynamicAuditing=true', '--feature-gates=A=true'])).toBe('fail');
  });
});

describe('audit-webhook-mode', () => {
  const on = ['--audit-webhook-config-file=/w.yaml'];
  it.each([
    [[], 'pass'],
    [['--audit-webhook-mode=blocking-strict'], 'warn'],
    [['--audit-webhook-mode=async'], 'fail'],
    [['--audit-webhook-batch-buffer-size=0'], 'fail'],
    [['--audit-webhook-batch-max-wait=30'], 'fail'],
    [['--audit-webhook-batch-max-wait=1m30s'], 'pass'],
    [['--audit-webhook-batch-throttle-qps=0'], 'fail'],
    [['--audit-webhook-batch-throttle-enable=false', '--audit-webhook-batch-throttle-qps=0'], 'pass'],
    [
      ['--audit-webhook-truncate-enabled', '--audit-webhook-truncate-max-batch-size=10', '--audit-webhook-truncate-max-event-size=100'],
      'fail',
    ],
    [['--audit-webhook-version=audit.k8s.io/v1beta1'], 'fail'],
    [['--audit-webhook-mode=blocking', '--audit-webhook-batch-max-size=0'], 'warn'],
  ])('%j -> %s', (flags, want) => expect(status(auditWebhookMode, [...on, ...flags])).toBe(want));

  it('only warns about invalid values while the webhook is off (the apiserver does not validate them)', () => {
    expect(status(auditWebhookMode, ['--audit-webhook-mode=async'])).toBe('warn');
  });
});

describe('audit-log-path', () => {
  it('is a warn, not a fail, when absent: the webhook does not need it', () => {
    const f = evaluate(auditLogPath, { apiserver: ok(apiserver([])), auditPaths: ok([]) });
    expect(f.status).toBe('warn');
    expect(f.summary).toMatch(/does not need it/);
  });

  it('accepts "-" (stdout)', () => {
    expect(status(auditLogPath, ['--audit-log-path=-'])).toBe('pass');
  });
});

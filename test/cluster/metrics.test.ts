import { describe, expect, it } from 'vitest';
import { auditCounters, batchWaitMs } from '../../src/kube/metrics.js';
import { GOOD_FLAGS, pod } from '../helpers/cluster-facts.js';

describe('auditCounters', () => {
  it.each([
    [
      '1.20 text with both series',
      '# HELP apiserver_audit_event_total [ALPHA] Counter of audit events generated and sent to the audit backend.\n# TYPE apiserver_audit_event_total counter\napiserver_audit_event_total 42\napiserver_audit_error_total{plugin="webhook"} 3\napiserver_audit_error_total{plugin="buffered"} 7\n',
      { events: 42, webhookErrors: 3 },
    ],
    ['no webhook error yet: the series is absent, which means 0', 'apiserver_audit_event_total 5\n', { events: 5, webhookErrors: 0 }],
    ['scientific notation', 'apiserver_audit_event_total 1.5e+06\n', { events: 1_500_000, webhookErrors: 0 }],
    ['no audit metrics at all', 'apiserver_request_total{code="200"} 9\n', { events: null, webhookErrors: null }],
    [
      'a similarly named metric is not counted',
      'apiserver_audit_event_total_other 9\napiserver_audit_event_total 1\n',
      { events: 1, webhookErrors: 0 },
    ],
  ])('%s', (_name, text, expected) => {
    expect(auditCounters(text)).toMatchObject(expected);
  });
});

describe('batchWaitMs', () => {
  it.each([
    ['default 30s', [pod('a')], 30_000],
    [
      'the longest flag wins',
      [pod('a', [...GOOD_FLAGS, '--audit-webhook-batch-max-wait=5s']), pod('b', [...GOOD_FLAGS, '--audit-webhook-batch-max-wait=10s'])],
      10_000,
    ],
    ['bounded at 60s', [pod('a', [...GOOD_FLAGS, '--audit-webhook-batch-max-wait=10m'])], 60_000],
    ['an invalid value falls back to the default', [pod('a', [...GOOD_FLAGS, '--audit-webhook-batch-max-wait=soon'])], 30_000],
    ['no pods (managed): default', [], 30_000],
  ])('%s', (_name, pods, expected) => {
    expect(batchWaitMs(pods)).toBe(expected);
  });
});

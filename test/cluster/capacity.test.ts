// Delivery capacity: rates from sampled counters against the webhook batch and throttle settings.
import { describe, expect, it } from 'vitest';
import { auditCapacity } from '../../src/checks/audit-capacity.js';
import { WEBHOOK_DEFAULTS, judgeCapacity, webhookSettings, type Sample } from '../../src/kube/capacity.js';
import { auditCounters } from '../../src/kube/metrics.js';
import { apiserver, evaluate, ok } from '../helpers/facts.js';

const samples = (
  events: number[],
  everyMs = 1000,
  errors: Partial<Record<'webhookErrors' | 'bufferedErrors' | 'rejected', number[]>> = {},
): Sample[] =>
  events.map((e, i) => ({
    atMs: i * everyMs,
    counters: {
      events: e,
      webhookErrors: errors.webhookErrors?.[i] ?? 0,
      bufferedErrors: errors.bufferedErrors?.[i] ?? 0,
      rejected: errors.rejected?.[i] ?? 0,
    },
  }));

const pods = (flags: string[]) => ({
  selector: 'component=kube-apiserver',
  pods: [
    {
      pod: 'kube-apiserver-cp1',
      node: 'cp1',
      phase: 'Running',
      restartCount: 0,
      lastTermination: null,
      config: apiserver(['--audit-webhook-config-file=/w', ...flags]),
      auditPaths: [],
      error: null,
    },
  ],
});
const metrics = (s: Sample[]) => ({ counters: s.at(-1)!.counters, canary: null, severalApiservers: false, samples: s });

describe('webhookSettings', () => {
  it('takes the defaults when flags are absent, and the flags when set', () => {
    expect(webhookSettings([])).toMatchObject({ ...WEBHOOK_DEFAULTS, set: [] });
    const s = webhookSettings(
      apiserver([
        '--audit-webhook-batch-throttle-qps=2.5',
        '--audit-webhook-batch-max-size=10',
        '--audit-webhook-batch-max-wait=5s',
        '--audit-webhook-batch-throttle-enable=false',
      ]).flags,
    );
    expect(s).toMatchObject({ qps: 2.5, maxSize: 10, maxWaitMs: 5000, throttleEnabled: false });
  });
});

describe('auditCounters', () => {
  it('reads the buffered and rejected series too', () => {
    const text =
      'apiserver_audit_event_total 120\napiserver_audit_error_total{plugin="buffered"} 7\napiserver_audit_error_total{plugin="webhook"} 3\napiserver_audit_requests_rejected_total 2\n';
    expect(auditCounters(text)).toEqual({ events: 120, webhookErrors: 3, bufferedErrors: 7, rejected: 2 });
  });
});

describe('judgeCapacity and audit-capacity', () => {
  it('peak x margin over qps x max size: warns with the numbers and the flags that fit', () => {
    const s = webhookSettings(apiserver(['--audit-webhook-batch-throttle-qps=1', '--audit-webhook-batch-max-size=10']).flags);
    const j = judgeCapacity(samples([0, 30, 90, 100]), s)!;
    expect(j.peakRate).toBe(60);
    expect(j.capacity).toBe(10);
    expect(j.bufferSeconds).toBeCloseTo(10000 / 50);
    expect(j.suggestion[0]).toBe('--audit-webhook-batch-throttle-qps=12 (with --audit-webhook-batch-max-size=10: 120 events/s)');
    const f = evaluate(auditCapacity, {
      auditMetrics: ok(metrics(samples([0, 30, 90, 100]))),
      clusterApiservers: ok(pods(['--audit-webhook-batch-throttle-qps=1', '--audit-webhook-batch-max-size=10'])),
    });
    expect(f.status).toBe('warn');
    expect(f.summary).toBe(
      'peak 60 events/s x 2 exceeds the webhook capacity of 10 events/s; at the peak the 10000-event buffer is full in 200 s, then events are dropped',
    );
    expect(f.remediation?.text).toContain('--audit-webhook-batch-throttle-qps=12');
  });

  it('the defaults carry 4000 events/s; a rise of buffered, webhook or rejected errors warns', () => {
    const quiet = evaluate(auditCapacity, { auditMetrics: ok(metrics(samples([0, 50, 100]))), clusterApiservers: ok(pods([])) });
    expect(quiet.status).toBe('pass');
    expect(quiet.summary).toMatch(/^peak 50 events\/s x 2 fits the webhook capacity \(4000 events\/s \(qps 10 x max size 400\)\)/);
    const dropped = evaluate(auditCapacity, {
      auditMetrics: ok(metrics(samples([0, 50, 100], 1000, { bufferedErrors: [0, 0, 40], rejected: [0, 1, 1] }))),
      clusterApiservers: ok(pods([])),
    });
    expect(dropped.status).toBe('warn');
    expect(dropped.summary).toContain('apiserver_audit_error_total{plugin="buffered"} rose by 40');
    expect(dropped.evidence?.map((e) => e.message)).toContain(
      'apiserver_audit_requests_rejected_total rose by 1: requests were refused because auditing failed',
    );
  });

  it('skips without --sample, and is unknown with one read', () => {
    const base = { counters: { events: 1, webhookErrors: 0 }, canary: null, severalApiservers: false };
    expect(evaluate(auditCapacity, { auditMetrics: ok({ ...base, samples: null }), clusterApiservers: ok(pods([])) }).status).toBe('skip');
    expect(evaluate(auditCapacity, { auditMetrics: ok({ ...base, samples: samples([1]) }), clusterApiservers: ok(pods([])) }).status).toBe(
      'unknown',
    );
  });
});

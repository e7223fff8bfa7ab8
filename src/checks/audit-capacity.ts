// audit-capacity: can the webhook's batch and throttle settings carry the apiserver's event rate?
// Events beyond capacity pile up in the buffer and are dropped ("audit buffer queue blocked",
// kubernetes#61280) without any error in the request path.
import type { Check } from './check.js';
import type { Evidence, Finding } from '../model/report.js';
import { SAFETY_MARGIN, judgeCapacity, webhookSettings } from '../kube/capacity.js';

const r1 = (n: number) => (Math.round(n * 10) / 10).toString();

export const auditCapacity: Check = {
  id: 'audit-capacity',
  title: 'webhook settings carry the event rate',
  reads:
    'GET /metrics sampled over --sample SECONDS (apiserver_audit_event_total, apiserver_audit_error_total, apiserver_audit_requests_rejected_total) and the --audit-webhook-batch-* flags of the apiserver pods',
  needs: ['auditMetrics', 'clusterApiservers'],
  network: true,
  explain: {
    why: 'The batch webhook lets out at most throttle QPS x batch max size events per second (defaults 10 x 400). Above that the 10000-event buffer fills and events are dropped ("audit buffer queue blocked", apiserver_audit_error_total{plugin="buffered"}); blocking modes slow or reject requests instead.',
    detect: `Reads the counters over the --sample window, takes the peak event rate between reads, and compares peak x ${SAFETY_MARGIN} with the throttle capacity; any rise of the webhook, buffered or rejected counters in the window is reported.`,
    fix: 'Raise --audit-webhook-batch-throttle-qps or --audit-webhook-batch-max-size to the values the finding names (or turn the throttle off when the console can take it), and --audit-webhook-batch-buffer-size to hold 30 s of events; or make the policy record less (level None for noisy reads).',
  },
  evaluate(facts): Finding {
    const m = facts.get('auditMetrics');
    if (!m.samples) return { status: 'skip', summary: 'no --sample SECONDS given: the event rate was not measured' };
    const pod = facts.get('clusterApiservers').pods.find((p) => p.config?.flags.some((f) => f.name === 'audit-webhook-config-file'));
    const s = webhookSettings(pod?.config?.flags ?? []);
    const j = judgeCapacity(m.samples, s);
    if (!j) return { status: 'unknown', summary: 'fewer than two reads of /metrics in the window: no rate to compute' };
    const windowS = Math.round((m.samples.at(-1)!.atMs - m.samples[0]!.atMs) / 1000);
    const cap =
      j.capacity === null
        ? 'unthrottled (--audit-webhook-batch-throttle-enable=false)'
        : `${j.capacity} events/s (qps ${s.qps} x max size ${s.maxSize})`;
    const evidence: Evidence[] = [
      { message: `${m.samples.length} reads over ${windowS} s: peak ${r1(j.peakRate)} events/s, mean ${r1(j.meanRate)} events/s` },
      {
        message: `webhook capacity ${cap}; buffer ${s.bufferSize} events, max wait ${s.maxWaitMs / 1000} s, burst ${s.burst}${s.set.length ? ` (set: ${s.set.join(' ')})` : ' (defaults)'}${pod ? ` on ${pod.pod}` : ''}`,
      },
    ];
    if (m.severalApiservers)
      evidence.push({
        message: 'several apiservers: /metrics came from whichever one the load balancer chose; each has its own rate and buffer',
      });
    const problems: string[] = [];
    if (j.capacity !== null && j.peakRate * SAFETY_MARGIN > j.capacity) {
      problems.push(
        `peak ${r1(j.peakRate)} events/s x ${SAFETY_MARGIN} exceeds the webhook capacity of ${j.capacity} events/s${j.bufferSeconds !== null ? `; at the peak the ${s.bufferSize}-event buffer is full in ${Math.round(j.bufferSeconds)} s, then events are dropped` : ''}`,
      );
    }
    if (j.bufferedErrors > 0)
      problems.push(
        `apiserver_audit_error_total{plugin="buffered"} rose by ${j.bufferedErrors}: events were dropped because the buffer was full`,
      );
    if (j.webhookErrors > 0)
      problems.push(`apiserver_audit_error_total{plugin="webhook"} rose by ${j.webhookErrors}: batches failed after their retries`);
    if (j.rejected > 0)
      problems.push(`apiserver_audit_requests_rejected_total rose by ${j.rejected}: requests were refused because auditing failed`);
    if (problems.length === 0)
      return {
        status: 'pass',
        summary: `peak ${r1(j.peakRate)} events/s x ${SAFETY_MARGIN} fits the webhook capacity (${cap}); no audit errors in ${windowS} s`,
        evidence,
      };
    for (const p of problems.slice(1)) evidence.push({ message: p });
    return {
      status: 'warn',
      summary: problems[0]!,
      evidence,
      remediation: {
        text:
          j.suggestion.length > 0
            ? `Set ${j.suggestion.join('; ')} on every apiserver (and in the durable configuration).`
            : 'Find why batches fail or are dropped: apiserver-logs shows "Error in audit plugin" with the cause (a slow or unreachable console).',
      },
    };
  },
};

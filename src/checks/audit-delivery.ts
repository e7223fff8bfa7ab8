// audit-delivery: the apiserver's own counters say whether audit events are produced and whether
// webhook batches fail; with --canary, one audited write proves events flow end to end.
import type { Check } from './check.js';
import type { Evidence, Finding } from '../model/report.js';
import type { AuditCounters } from '../model/cluster.js';

const show = (c: AuditCounters) =>
  `apiserver_audit_event_total=${c.events ?? 'absent'}, apiserver_audit_error_total{plugin="webhook"}=${c.webhookErrors ?? 'absent'}`;

export const auditDelivery: Check = {
  id: 'audit-delivery',
  title: 'audit events produced and delivered',
  reads:
    'GET /metrics through the API (apiserver_audit_event_total, apiserver_audit_error_total); with --canary, one ConfigMap create+delete',
  needs: ['auditMetrics'],
  network: true,
  explain: {
    why: 'The flags can look right while no event leaves: no policy means no events at all, and a webhook that fails after its retries only raises apiserver_audit_error_total{plugin="webhook"}.',
    detect:
      'Reads /metrics through the API. With --canary [NAMESPACE] it creates and deletes a labelled ConfigMap in twistlock (or NAMESPACE), waits one --audit-webhook-batch-max-wait (default 30s, at most 60s) and requires apiserver_audit_event_total to rise and the webhook error counter not to.',
    fix: 'No events: set --audit-policy-file (audit-policy-flag). Webhook errors: read "Error in audit plugin \'webhook\'" in the apiserver log (apiserver-logs) and fix the URL or TLS trust (webhook-url, webhook-ca-data).',
  },
  evaluate(facts): Finding {
    const m = facts.get('auditMetrics');
    const evidence: Evidence[] = [{ message: show(m.counters) }];
    if (m.severalApiservers)
      evidence.push({
        message: 'several apiservers: /metrics came from whichever one the load balancer chose; run again to sample the others',
      });
    const c = m.canary;
    if (c) {
      evidence.unshift({ message: `before the canary: ${show(c.before)}` });
      if (c.problem)
        return {
          status: 'unknown',
          summary: `the canary could not run: ${c.problem}`,
          evidence,
          remediation: {
            text: 'Allow create and delete of configmaps in the canary namespace, or pass --canary NAMESPACE for one you may write to.',
          },
        };
      evidence.push({
        message: `canary ConfigMap ${c.namespace}/${c.configMap} created and deleted, then waited ${Math.round(c.waitedMs / 1000)} s`,
      });
      const events = (c.after.events ?? 0) - (c.before.events ?? 0);
      const errors = (c.after.webhookErrors ?? 0) - (c.before.webhookErrors ?? 0);
      if (events <= 0) {
        return {
          status: 'fail',
          summary: `the canary write raised no audit event (apiserver_audit_event_total stayed at ${c.after.events ?? 'absent'}): the apiserver that served it records nothing`,
          evidence,
          remediation: {
            text: 'Set --audit-policy-file with a policy that records writes in this namespace (see audit-policy-flag and audit-policy-coverage) and restart the apiserver.',
          },
        };
      }
      if (errors > 0) {
        return {
          status: 'fail',
          summary: `audit events are produced (+${events}) but webhook batches fail: apiserver_audit_error_total{plugin="webhook"} rose by ${errors} during the canary`,
          evidence,
          remediation: { text: 'See apiserver-logs for "Error in audit plugin \'webhook\'" and its cause (TLS trust, URL, reachability).' },
        };
      }
      return {
        status: 'pass',
        summary: `events flow: +${events} audit event(s) and no webhook error during the canary`,
        evidence: [
          ...evidence,
          {
            message:
              'a batch still retrying (backoff 10s x1.5, 5 steps) raises the error counter only when it gives up: run again later to be sure',
          },
        ],
      };
    }
    if (!m.counters.events) {
      return {
        status: 'warn',
        summary: 'no audit event recorded since the apiserver started: it has no audit policy, or nothing matched one yet',
        evidence,
        remediation: { text: 'Check audit-policy-flag, then run with --canary to make one audited write and watch the counters.' },
      };
    }
    if ((m.counters.webhookErrors ?? 0) > 0) {
      return {
        status: 'warn',
        summary: `apiserver_audit_error_total{plugin="webhook"}=${m.counters.webhookErrors}: webhook batches have failed since the apiserver started (pass --canary to see whether they still do)`,
        evidence,
        remediation: { text: 'See apiserver-logs for "Error in audit plugin \'webhook\'".' },
      };
    }
    return {
      status: 'pass',
      summary: `${m.counters.events} audit events recorded and no webhook error since the apiserver started (pass --canary for proof that new events flow)`,
      evidence,
    };
  },
};

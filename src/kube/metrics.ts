// Reads the two audit counters out of kube-apiserver's Prometheus text, and decides how long one
// webhook batch can take to leave. Pure.
import type { ApiserverPod, AuditCounters } from '../model/cluster.js';
import { lastFlag } from '../parse/flags.js';
import { parseGoDuration } from '../parse/go-values.js';

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/;

/** Sums every series of apiserver_audit_event_total, and apiserver_audit_error_total{plugin="webhook"}.
 * The error series appears only after the first error, so with events present its absence is 0. */
export function auditCounters(text: string): AuditCounters {
  let events: number | null = null;
  let webhookErrors: number | null = null;
  for (const line of text.split('\n')) {
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const value = Number(m[3]);
    if (!Number.isFinite(value)) continue;
    if (m[1] === 'apiserver_audit_event_total') events = (events ?? 0) + value;
    if (m[1] === 'apiserver_audit_error_total' && /plugin="webhook"/.test(m[2] ?? '')) webhookErrors = (webhookErrors ?? 0) + value;
  }
  return { events, webhookErrors: webhookErrors ?? (events === null ? null : 0) };
}

export const DEFAULT_BATCH_WAIT_MS = 30_000;
/** The canary never waits longer than this, whatever the flag says. */
export const MAX_CANARY_WAIT_MS = 60_000;

/** The longest --audit-webhook-batch-max-wait among the apiservers (default 30s), bounded. */
export function batchWaitMs(pods: ApiserverPod[]): number {
  const waits = pods.map((p) => {
    const flag = p.config ? lastFlag(p.config.flags, 'audit-webhook-batch-max-wait') : undefined;
    const ms = flag?.value ? parseGoDuration(flag.value) : null;
    return ms !== null && ms > 0 ? ms : DEFAULT_BATCH_WAIT_MS;
  });
  return Math.min(MAX_CANARY_WAIT_MS, waits.length > 0 ? Math.max(...waits) : DEFAULT_BATCH_WAIT_MS);
}

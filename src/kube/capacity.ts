// Delivery capacity of the audit webhook: what its batch and throttle settings can carry, against
// the event rate the apiserver's counters show over a sampling window. Pure.
import { lastFlag } from '../parse/flags.js';
import { parseGoDuration, parseGoInt } from '../parse/go-values.js';
import type { Flag } from '../model/node.js';
import type { AuditCounters } from '../model/cluster.js';

/** kube-apiserver's defaults for the webhook batch backend. */
export const WEBHOOK_DEFAULTS = { bufferSize: 10000, maxSize: 400, maxWaitMs: 30_000, throttleEnabled: true, qps: 10, burst: 15 };
/** Peak rate times this must fit: bursts above the sampled peak, retries after an outage. */
export const SAFETY_MARGIN = 2;

export interface WebhookSettings {
  bufferSize: number;
  maxSize: number;
  maxWaitMs: number;
  throttleEnabled: boolean;
  qps: number;
  burst: number;
  /** The flags that were set (name=value), for evidence. */
  set: string[];
}

export function webhookSettings(flags: Flag[]): WebhookSettings {
  const set: string[] = [];
  const num = (name: string, parse: (v: string) => number | null, dflt: number) => {
    const f = lastFlag(flags, name);
    const v = f?.value ? parse(f.value) : null;
    if (f?.value) set.push(`--${name}=${f.value}`);
    return v ?? dflt;
  };
  const throttle = lastFlag(flags, 'audit-webhook-batch-throttle-enable');
  if (throttle) set.push(`--${throttle.name}${throttle.value === null ? '' : `=${throttle.value}`}`);
  return {
    bufferSize: num('audit-webhook-batch-buffer-size', parseGoInt, WEBHOOK_DEFAULTS.bufferSize),
    maxSize: num('audit-webhook-batch-max-size', parseGoInt, WEBHOOK_DEFAULTS.maxSize),
    maxWaitMs: num('audit-webhook-batch-max-wait', parseGoDuration, WEBHOOK_DEFAULTS.maxWaitMs),
    throttleEnabled: throttle ? throttle.value === null || /^(1|t|true)$/i.test(throttle.value) : WEBHOOK_DEFAULTS.throttleEnabled,
    qps: num('audit-webhook-batch-throttle-qps', Number, WEBHOOK_DEFAULTS.qps),
    burst: num('audit-webhook-batch-throttle-burst', parseGoInt, WEBHOOK_DEFAULTS.burst),
    set,
  };
}

export interface Sample {
  atMs: number;
  counters: AuditCounters;
}

export interface CapacityJudgement {
  /** Events per second between consecutive samples: the highest and the mean. */
  peakRate: number;
  meanRate: number;
  /** Events per second the throttle lets out (qps x max batch size); null when throttling is off. */
  capacity: number | null;
  /** Growth of the error counters over the window. */
  webhookErrors: number;
  bufferedErrors: number;
  rejected: number;
  /** Seconds until a full buffer at the peak rate, when the peak exceeds capacity. */
  bufferSeconds: number | null;
  /** Flags and values that carry peak x margin, when the current ones do not. */
  suggestion: string[];
}

const delta = (a: number | null, b: number | null) => Math.max(0, (b ?? 0) - (a ?? 0));

export function judgeCapacity(samples: Sample[], s: WebhookSettings): CapacityJudgement | null {
  if (samples.length < 2) return null;
  const rates: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const dt = (samples[i]!.atMs - samples[i - 1]!.atMs) / 1000;
    if (dt > 0) rates.push(delta(samples[i - 1]!.counters.events, samples[i]!.counters.events) / dt);
  }
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const span = (last.atMs - first.atMs) / 1000;
  const peakRate = Math.max(0, ...rates);
  const capacity = s.throttleEnabled ? s.qps * s.maxSize : null;
  const need = peakRate * SAFETY_MARGIN;
  const suggestion: string[] = [];
  if (capacity !== null && need > capacity) {
    // Raise the batch size first (fewer, larger POSTs), up to what one batch may hold in max-wait.
    const qps = Math.ceil(need / s.maxSize);
    suggestion.push(
      `--audit-webhook-batch-throttle-qps=${qps} (with --audit-webhook-batch-max-size=${s.maxSize}: ${qps * s.maxSize} events/s)`,
    );
    suggestion.push(`or --audit-webhook-batch-max-size=${Math.ceil(need / s.qps)} (with --audit-webhook-batch-throttle-qps=${s.qps})`);
    if (s.bufferSize < need * (s.maxWaitMs / 1000))
      suggestion.push(
        `--audit-webhook-batch-buffer-size=${Math.ceil(need * Math.max(30, s.maxWaitMs / 1000))} (30 s of events at ${Math.round(need)}/s)`,
      );
  }
  return {
    peakRate,
    meanRate: span > 0 ? delta(first.counters.events, last.counters.events) / span : 0,
    capacity,
    webhookErrors: delta(first.counters.webhookErrors, last.counters.webhookErrors),
    bufferedErrors: delta(first.counters.bufferedErrors ?? null, last.counters.bufferedErrors ?? null),
    rejected: delta(first.counters.rejected ?? null, last.counters.rejected ?? null),
    bufferSeconds: capacity !== null && peakRate > capacity ? s.bufferSize / (peakRate - capacity) : null,
    suggestion,
  };
}

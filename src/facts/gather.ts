// Gathers facts: each collector runs at most once, concurrently, under a deadline, and its error
// becomes a typed FactError instead of a throw. Also serves facts recorded earlier (bundle, tests).
import type { Fact, FactError } from '../model/report.js';
import type { FactKey, Facts, FactSource, GatherEvent } from '../model/facts.js';
import { FactFailure, type CollectContext, type Collector } from './collector.js';

type CollectorTable = { [K in FactKey]: Collector<K> };

/** A fact the run was cancelled before (q, Esc, Ctrl-C). */
const interrupted = (): FactError => ({ reason: 'interrupted', message: 'interrupted before it finished' });

const abortPromises = new WeakMap<AbortSignal, Promise<void>>();
const never = new Promise<void>(() => {});

/** Settles when the signal aborts (never, without a signal); one listener per signal, shared by
 * every fact. */
function whenAborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return never;
  let p = abortPromises.get(signal);
  if (!p) {
    p = signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    abortPromises.set(signal, p);
  }
  return p;
}

/** The engine's deadline for one fact: a network fact runs up to four rungs (DNS, TCP, TLS, POST),
 * each bounded by --timeout, so a fact gets five times that before it is cut off. */
export function factDeadlineMs(timeoutMs: number): number {
  return Math.max(timeoutMs * 5, 15_000);
}

/** Gathers facts from the node; each fact is collected once and shared by every check that needs it. */
export function liveFacts(ctx: CollectContext, collectors: CollectorTable, deadlineMs: number): FactSource {
  const memo = new Map<FactKey, Promise<Fact<unknown>>>();
  const listeners: ((event: GatherEvent) => void)[] = [];
  const tell = (event: GatherEvent) => listeners.forEach((fn) => fn(event));
  const source: FactSource = {
    watch: (listener) => void listeners.push(listener),
    fact<K extends FactKey>(key: K): Promise<Facts[K]> {
      let pending = memo.get(key);
      if (!pending) {
        pending = gather(collectors[key] as Collector<FactKey>);
        memo.set(key, pending);
      }
      return pending as Promise<Facts[K]>;
    },
  };
  async function gather(collector: Collector<FactKey>): Promise<Fact<unknown>> {
    const deps = {
      async need<D extends FactKey>(dep: D) {
        const fact = await source.fact(dep);
        if (!fact.ok) throw new FactFailure(fact.error);
        return fact.value as never;
      },
      fact: <D extends FactKey>(dep: D) => source.fact(dep),
    };
    if (ctx.signal?.aborted) return { ok: false, error: interrupted() };
    tell({ type: 'gathering', key: collector.key });
    let timer: NodeJS.Timeout | undefined;
    const limitMs = deadlineMs + (collector.waitsMs?.(ctx) ?? 0);
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new FactFailure({ reason: 'timeout', message: `gathering ${collector.key} took longer than ${limitMs} ms` })),
        limitMs,
      );
      timer.unref();
    });
    // A cancelled run does not wait for a collector to notice: the collectors get the signal too
    // (child processes, sockets, reads stop), but the fact settles at once.
    const cancelled = whenAborted(ctx.signal).then(() => Promise.reject(new FactFailure(interrupted())));
    try {
      const value = await Promise.race([collector.collect(ctx, deps), deadline, cancelled]);
      return { ok: true, value };
    } catch (err) {
      // A collector that noticed the abort first (its socket or child rejected with the signal's
      // reason) was interrupted too: not an I/O failure to judge.
      return { ok: false, error: ctx.signal?.aborted ? interrupted() : toFactError(err, collector.key) };
    } finally {
      clearTimeout(timer);
      tell({ type: 'gathered', key: collector.key });
    }
  }
  return source;
}

/** Serves facts recorded earlier (support bundle, tests). */
export function recordedFacts(facts: Partial<Facts>): FactSource {
  return {
    async fact<K extends FactKey>(key: K): Promise<Facts[K]> {
      const fact = facts[key];
      if (fact) return fact as Facts[K];
      return { ok: false, error: { reason: 'not-found', message: `the recording holds no ${key} fact` } } as Facts[K];
    },
  };
}

function toFactError(err: unknown, key: string): FactError {
  if (err instanceof FactFailure) return err.error;
  const message = err instanceof Error ? err.message : String(err);
  return { reason: 'io', message: `gathering ${key} failed: ${message}` };
}

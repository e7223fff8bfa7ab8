// Drives the ink UI from engine events. Loaded only in pretty mode, so json/text never load ink.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { render } from 'ink';
import type { Check } from '../engine/check.js';
import { runChecks, type FactSource, type RunOptions } from '../engine/run.js';
import type { CheckResult, EngineEvent, Report, Target } from '../engine/types.js';
import type { Redactor } from '../redact.js';
import { makeStyle } from '../report/style.js';
import { headerLines } from '../report/text.js';
import { changedSince, compareReports, comparisonLines, type Comparing } from '../report/compare.js';
import { App, type AppProps, type RunningCheck } from './App.js';

/** Accumulates engine events into what the App shows. */
export function createProgressStore(order: string[]) {
  let state: Pick<AppProps, 'results' | 'running' | 'summary'> & { target: Target | null; report: Report | null } = { results: [], running: [], summary: null, target: null, report: null };
  const listeners = new Set<() => void>();
  const rank = (r: CheckResult) => order.indexOf(r.id);
  return {
    get: () => state,
    subscribe(fn: () => void) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    push(event: EngineEvent) {
      if (event.type === 'check-start') state = { ...state, running: [...state.running, { id: event.id, title: event.title } as RunningCheck] };
      else if (event.type === 'check-done') {
        state = {
          ...state,
          running: state.running.filter((c) => c.id !== event.result.id),
          results: [...state.results, event.result].sort((a, b) => rank(a) - rank(b)),
        };
      } else state = { ...state, summary: event.report.summary, target: event.report.target, report: event.report };
      for (const fn of listeners) fn();
    },
  };
}

type Store = ReturnType<typeof createProgressStore>;

/** Writes a support bundle and returns its path. */
export type WriteBundle = () => Promise<string>;

/** The `b` key's state: idle, writing, then where the bundle went (or why it failed). */
function useBundleKey(writeBundle: WriteBundle | undefined): AppProps['bundle'] {
  const [status, setStatus] = useState<string | null>(null);
  if (!writeBundle) return undefined;
  return {
    status,
    write() {
      if (status === 'writing support bundle…') return;
      setStatus('writing support bundle…');
      writeBundle().then(
        (out) => setStatus(`support bundle written: ${out}`),
        (err: unknown) => setStatus(`support bundle failed: ${err instanceof Error ? err.message : String(err)}`),
      );
    },
  };
}

type LiveProps = { store: Store; runOpts: RunOptions; verbose: boolean; onFix?: AppProps['onFix']; writeBundle?: WriteBundle; comparing?: Comparing | null };

function Live({ store, runOpts, verbose, onFix, writeBundle, comparing }: LiveProps) {
  const s = useSyncExternalStore(store.subscribe, store.get);
  // Each check is marked as soon as it is judged; the summary (with configuration changes) once all are.
  const comparison = comparing ? compareReports(comparing.before, { checks: s.results, fingerprint: s.report?.fingerprint }, comparing.against, comparing.forced) : null;
  const marks = comparison ? Object.fromEntries(s.results.flatMap((r) => { const m = changedSince(comparison, r.id); return m ? [[r.id, m]] : []; })) : undefined;
  const footer = comparison && s.summary ? comparisonLines(comparison, makeStyle(false)) : undefined;
  const bundle = useBundleKey(writeBundle);
  const header = s.target
    ? headerLines({ tool: runOpts.tool, target: s.target }, makeStyle(false)).slice(0, 1)
    : [`${runOpts.tool.name} ${runOpts.tool.version} doctor · root ${runOpts.target.root} · gathering…`];
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    if (s.summary) return;
    const t = setInterval(() => setFrame((f) => f + 1), 80);
    return () => clearInterval(t);
  }, [s.summary]);
  return <App header={header} demo={runOpts.target.demo} results={s.results} running={s.running} summary={s.summary} verbose={verbose} frame={frame} onFix={onFix} bundle={bundle} marks={marks} comparison={footer} />;
}

export interface PrettyRun {
  checks: Check[];
  source: FactSource;
  runOpts: RunOptions;
  redactor: Redactor;
  verbose: boolean;
  onFix?: AppProps['onFix'];
  writeBundle?: WriteBundle;
  /** --compare: every changed check carries a "changed since" marker. */
  comparing?: Comparing | null;
}

export async function runPretty({ checks, source, runOpts, redactor, verbose, onFix, writeBundle, comparing }: PrettyRun): Promise<Report> {
  const store = createProgressStore(checks.map((c) => c.id));
  const app = render(<Live store={store} runOpts={runOpts} verbose={verbose} onFix={onFix} writeBundle={writeBundle} comparing={comparing} />, { exitOnCtrlC: true });
  const report: Report = redactor.value(await runChecks(checks, source, runOpts, (e) => store.push(redactor.value(e))));
  if (process.stdin.isTTY) await app.waitUntilExit();
  else app.unmount();
  return comparing ? { ...report, comparison: compareReports(comparing.before, report, comparing.against, comparing.forced) } : report;
}

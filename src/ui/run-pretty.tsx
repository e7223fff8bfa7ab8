// Shows the run in the ink UI, fed the engine's events by the caller: it runs nothing itself.
// Loaded only in pretty mode, so json/text never load ink.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { render } from 'ink';
import type { CheckResult, EngineEvent, Report, Target } from '../model/report.js';
import { makeStyle } from '../report/style.js';
import { headerLines } from '../report/text.js';
import { App, type AppProps, type RunningCheck } from './App.js';

/** Accumulates engine events into what the App shows. */
export function createProgressStore(order: string[]) {
  let state: Pick<AppProps, 'results' | 'running' | 'summary'> & { target: Target | null } = { results: [], running: [], summary: null, target: null };
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
      } else state = { ...state, summary: event.report.summary, target: event.report.target };
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

function Live({ store, view }: { store: Store; view: PrettyView }) {
  const s = useSyncExternalStore(store.subscribe, store.get);
  const bundle = useBundleKey(view.writeBundle);
  const header = s.target
    ? headerLines({ tool: view.tool, target: s.target }, makeStyle(false)).slice(0, 1)
    : [`${view.tool.name} ${view.tool.version} doctor · root ${view.root} · gathering…`];
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    if (s.summary) return;
    const t = setInterval(() => setFrame((f) => f + 1), 80);
    return () => clearInterval(t);
  }, [s.summary]);
  return <App header={header} demo={view.demo} results={s.results} running={s.running} summary={s.summary} verbose={view.verbose} frame={frame} onFix={view.onFix} bundle={bundle} />;
}

export interface PrettyView {
  /** Check ids in catalogue order: finished checks are listed in it. */
  order: string[];
  tool: Report['tool'];
  /** Shown until the run reports its target. */
  root: string;
  demo: boolean;
  verbose: boolean;
  onFix?: AppProps['onFix'];
  writeBundle?: WriteBundle;
}

export interface PrettyUi {
  /** One engine event (already redacted). */
  push(event: EngineEvent): void;
  /** After the `done` event: waits for the user to leave on a terminal, else closes the UI. */
  finish(): Promise<void>;
}

export function startPretty(view: PrettyView): PrettyUi {
  const store = createProgressStore(view.order);
  const app = render(<Live store={store} view={view} />, { exitOnCtrlC: true });
  return {
    push: (event) => store.push(event),
    async finish() {
      if (process.stdin.isTTY) await app.waitUntilExit();
      else app.unmount();
    },
  };
}

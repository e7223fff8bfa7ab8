// The doctor's terminal UI: paints the lines layout.ts computes for the run model it is fed, and
// turns keys into selection, paging, fix previews and quitting. No I/O, no judging: planning a fix
// or writing a bundle is a callback the CLI provides.
import { useCallback, useEffect, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useInput, useStdin, useStdout } from 'ink';
import type { Style } from '../report/style.js';
import { layout, terminalSize, type FixPane, type Size, type View } from './layout.js';
import type { RunModel } from './model.js';

export interface FixPreview {
  /** What `prisma-audit fix` would print. */
  lines: string[];
  /** Unified diffs of every file it would change. */
  diff: string[];
}

/** How the user left: q/Esc (the exit code of what finished) or Ctrl-C (130). */
export type QuitKey = 'quit' | 'interrupt';

export interface ModelStore {
  get(): RunModel;
  subscribe(fn: () => void): () => void;
}

export interface AppProps {
  store: ModelStore;
  style: Style;
  /** Called once per key that ends the run or the UI. */
  onQuit(how: QuitKey): void;
  /** Plans the fix with this id (null: every fix the failing checks name); the caller plans. */
  onFix?: (fix: string | null) => Promise<FixPreview>;
  /** Writes a support bundle; resolves to its path. */
  writeBundle?: () => Promise<string>;
  /** Fixed size (tests); otherwise the terminal's, followed on resize. */
  size?: Size;
}

function useTerminalSize(fixed: Size | undefined): Size {
  const { stdout } = useStdout();
  const read = (): Size => fixed ?? terminalSize(stdout);
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout, fixed]);
  return size;
}

type Nav = { selected: number; detailsTop: number };
type NavAction = { type: 'select'; by: number; count: number } | { type: 'page'; by: number } | { type: 'reset' };

function navigate(nav: Nav, a: NavAction): Nav {
  if (a.type === 'select') return { selected: Math.max(0, Math.min(a.count - 1, nav.selected + a.by)), detailsTop: 0 };
  if (a.type === 'page') return { ...nav, detailsTop: Math.max(0, nav.detailsTop + a.by) };
  return { ...nav, detailsTop: 0 };
}

/** The selection lives in a ref that every key updates at once, so keys pressed faster than the
 * screen redraws (a held ↓, then f) act on where the selection is, not where it was drawn. */
function useNav(): [{ readonly current: Nav }, (a: NavAction) => void] {
  const nav = useRef<Nav>({ selected: 0, detailsTop: 0 });
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const dispatch = useCallback((a: NavAction) => {
    nav.current = navigate(nav.current, a);
    redraw();
  }, []);
  return [nav, dispatch];
}

const diffStyle = (style: Style, line: string) =>
  line.startsWith('+')
    ? style.status('pass', line)
    : line.startsWith('-')
      ? style.status('fail', line)
      : line.startsWith('@@')
        ? style.dim(line)
        : line;

export function App({ store, style, onQuit, onFix, writeBundle, size: fixedSize }: AppProps) {
  const model = useSyncExternalStore(store.subscribe, store.get);
  const { isRawModeSupported } = useStdin();
  const size = useTerminalSize(fixedSize);
  const [nav, dispatch] = useNav();
  const [frame, setFrame] = useState(0);
  const [fix, setFix] = useState<{ title: string; preview: FixPreview | null; busy: boolean } | null>(null);
  const [showDiff, setShowDiff] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [quitting, setQuitting] = useState(false);
  const done = model.report !== null;
  useEffect(() => {
    if (done) return;
    // 5 frames a second: enough to show life, little enough to leave the CPU to the run and the keys.
    const t = setInterval(() => setFrame((f) => f + 1), 200);
    return () => clearInterval(t);
  }, [done]);
  // A finished run re-sorts the rows: start again at the top, where the failures are.
  useEffect(() => dispatch({ type: 'select', by: -Infinity, count: 1 }), [done]);

  const fixPane: FixPane | null = fix
    ? {
        title: fix.title,
        lines: fix.busy
          ? ['planning…']
          : [
              ...(fix.preview?.lines ?? []),
              ...(showDiff
                ? (fix.preview?.diff ?? []).map((l) => diffStyle(style, l))
                : fix.preview?.diff.length
                  ? ['', 'd shows the diffs']
                  : []),
            ],
      }
    : null;
  const view: View = {
    selected: nav.current.selected,
    detailsTop: nav.current.detailsTop,
    frame,
    elapsedMs: Date.now() - model.startedAt,
    fix: fixPane,
    notice,
    keys: { fix: Boolean(onFix), bundle: Boolean(writeBundle), interactive: isRawModeSupported === true },
  };
  const laid = layout(model, view, size, style);

  const planFix = (id: string | null, title: string) => {
    if (!onFix || fix?.busy) return;
    setFix({ title, preview: null, busy: true });
    dispatch({ type: 'reset' });
    onFix(id).then(
      (preview) => setFix({ title, preview, busy: false }),
      (err: unknown) => {
        setFix(null);
        setNotice(`fix failed: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
  };
  const quit = (how: QuitKey) => {
    setQuitting(true);
    onQuit(how);
  };
  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') return quit('interrupt');
      if (input === 'q' || key.escape) return quit('quit');
      const page = Math.max(laid.detailsHeight - 1, 1);
      if (key.upArrow || input === 'k') {
        setFix(null);
        dispatch({ type: 'select', by: -1, count: laid.rows.length });
      } else if (key.downArrow || input === 'j') {
        setFix(null);
        dispatch({ type: 'select', by: 1, count: laid.rows.length });
      } else if (key.pageDown || input === ' ') dispatch({ type: 'page', by: page });
      else if (key.pageUp) dispatch({ type: 'page', by: -page });
      else if (key.home || input === 'g') dispatch({ type: 'select', by: -Infinity, count: laid.rows.length });
      else if (key.end || input === 'G') dispatch({ type: 'select', by: Infinity, count: laid.rows.length });
      else if (input === 'd') setShowDiff((d) => !d);
      else if (input === 'f' && done) {
        const row = laid.rows[nav.current.selected];
        const id = row?.kind === 'check' ? row.result?.remediation?.fix : null;
        if (id) planFix(id, `fix --only ${id}`);
        else setNotice(`${row?.kind === 'check' ? row.id : 'this row'} names no fix; F plans every fix`);
      } else if (input === 'F' && done) planFix(null, 'fix (every fix the checks name)');
      else if (input === 'b' && done && writeBundle && notice !== 'writing support bundle…') {
        setNotice('writing support bundle…');
        writeBundle().then(
          (out) => setNotice(`support bundle written: ${out}`),
          (err: unknown) => setNotice(`support bundle failed: ${err instanceof Error ? err.message : String(err)}`),
        );
      }
    },
    { isActive: isRawModeSupported === true && !quitting },
  );
  // Quitting erases the live region: the CLI then prints the report once, as text.
  if (quitting) return null;
  return (
    <Box flexDirection="column">
      {laid.lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}

// The doctor's terminal UI. Takes results as props; no I/O, no judging.
import { useReducer, useState } from 'react';
import { Box, Text, useApp, useInput, useStdin } from 'ink';
import type { CheckResult, Status, Summary } from '../model/report.js';
import { evidenceLine, summaryLine } from '../report/text.js';
import { STATUS_LABEL } from '../report/style.js';

const COLOR: Record<Status, string> = { pass: 'green', warn: 'yellow', fail: 'red', skip: 'gray', unknown: 'magenta' };
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface RunningCheck {
  id: string;
  title: string;
}

export interface AppProps {
  header: string[];
  demo: boolean;
  results: CheckResult[];
  running: RunningCheck[];
  summary: Summary | null;
  verbose: boolean;
  /** Animation frame for the spinner, advanced by the caller. */
  frame: number;
  /** Plans the fix with this id (null: every fix the failing checks name) and says what it would
   * change. The caller does the planning and writes the plan folder; this component only shows it. */
  onFix?: (fix: string | null) => Promise<FixPreview>;
  /** The `b` key: write a support bundle of this node (absent when there is no live node, e.g.
   * --from-bundle). The caller does the writing and reports progress in `status`. */
  bundle?: { write(): void; status: string | null };
}

export interface FixPreview {
  /** What `prisma-audit fix` would print. */
  lines: string[];
  /** Unified diffs of every file it would change. */
  diff: string[];
}

const DIFF_COLOR = (line: string) => (line.startsWith('+') ? 'green' : line.startsWith('-') ? 'red' : line.startsWith('@@') ? 'cyan' : undefined);

function FixView({ state, showDiff }: { state: FixState; showDiff: boolean }) {
  if (state.busy) return <Text color="cyan">planning the fix…</Text>;
  if (state.error) return <Text color="red">{state.error}</Text>;
  if (!state.preview) return null;
  return (
    <Box flexDirection="column">
      {state.preview.lines.map((l, i) => (
        <Text key={i}>{l}</Text>
      ))}
      {showDiff
        ? state.preview.diff.map((l, i) => (
            <Text key={`d${i}`} color={DIFF_COLOR(l)}>
              {l}
            </Text>
          ))
        : null}
    </Box>
  );
}

interface FixState {
  busy: boolean;
  preview: FixPreview | null;
  error: string | null;
}

function Details({ r }: { r: CheckResult }) {
  return (
    <Box flexDirection="column" marginLeft={8}>
      {r.evidence.map((e, i) => (
        <Text key={i} dimColor={r.status === 'pass'}>
          · {evidenceLine(e)}
        </Text>
      ))}
      {r.remediation && r.status !== 'pass' ? (
        <Box flexDirection="column">
          <Text>
            <Text bold>fix:</Text> {r.remediation.text}
          </Text>
          {r.remediation.commands.map((c, i) => (
            <Text key={i} color="cyan">
              {'  $ '}
              {c}
            </Text>
          ))}
          {r.remediation.fix ? <Text color="cyan">{`  $ prisma-audit fix --only ${r.remediation.fix}`}</Text> : null}
        </Box>
      ) : null}
    </Box>
  );
}

interface Nav {
  selected: number;
  toggled: Set<string>;
}

/** Key handling as a reducer, so fast key presses never act on a stale selection. */
function navigate(state: Nav, action: { type: 'move'; by: number; ids: string[] } | { type: 'toggle'; ids: string[] }): Nav {
  if (action.type === 'move') return { ...state, selected: Math.max(0, Math.min(action.ids.length - 1, state.selected + action.by)) };
  const id = action.ids[state.selected];
  if (!id) return state;
  const toggled = new Set(state.toggled);
  if (toggled.has(id)) toggled.delete(id);
  else toggled.add(id);
  return { ...state, toggled };
}

export function App({ header, demo, results, running, summary, verbose, frame, onFix, bundle }: AppProps) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const [{ selected, toggled }, dispatch] = useReducer(navigate, { selected: 0, toggled: new Set<string>() });
  const [fix, setFix] = useState<FixState>({ busy: false, preview: null, error: null });
  const [showDiff, setShowDiff] = useState(false);
  const ids = results.map((r) => r.id);
  const planFix = (id: string | null) => {
    if (!onFix || fix.busy) return;
    setFix({ busy: true, preview: null, error: null });
    onFix(id).then(
      (preview) => setFix({ busy: false, preview, error: null }),
      (err: unknown) => setFix({ busy: false, preview: null, error: `fix failed: ${err instanceof Error ? err.message : String(err)}` }),
    );
  };
  useInput(
    (input, key) => {
      if (input === 'q' || key.escape) exit();
      else if (input === 'b' && bundle && summary) bundle.write();
      else if (input === 'f' && summary) {
        const id = results[selected]?.remediation?.fix;
        if (id) planFix(id);
        else setFix({ busy: false, preview: null, error: `${results[selected]?.id ?? 'this check'} names no fix` });
      } else if (input === 'F' && summary) planFix(null);
      else if (input === 'd') setShowDiff((d) => !d);
      else if (key.upArrow || input === 'k') dispatch({ type: 'move', by: -1, ids });
      else if (key.downArrow || input === 'j') dispatch({ type: 'move', by: 1, ids });
      else if (key.return || input === ' ') dispatch({ type: 'toggle', ids });
    },
    { isActive: isRawModeSupported === true },
  );
  // Problems are open by default; Enter flips any check.
  const isOpen = (r: CheckResult) => (r.status === 'pass' || r.status === 'skip' ? verbose : true) !== toggled.has(r.id);
  return (
    <Box flexDirection="column">
      {header.map((h, i) => (
        <Text key={i} bold={i === 0}>
          {h}
        </Text>
      ))}
      {demo ? <Text color="yellow">DEMO: checking the bundled demo node (fixtures/demo/root), not this machine.</Text> : null}
      <Text> </Text>
      {results.map((r, i) => (
        <Box key={r.id} flexDirection="column">
          <Text inverse={isRawModeSupported === true && i === selected}>
            <Text color={COLOR[r.status]}>{STATUS_LABEL[r.status].padEnd(8)}</Text>
            <Text bold>{r.id.padEnd(24)}</Text> {r.summary}
          </Text>
          {isOpen(r) ? <Details r={r} /> : null}
        </Box>
      ))}
      {running.map((c) => (
        <Text key={c.id}>
          <Text color="cyan">{SPINNER[frame % SPINNER.length]} </Text>
          {'       '}
          <Text bold>{c.id.padEnd(24)}</Text> <Text dimColor>{c.title}…</Text>
        </Text>
      ))}
      <Text> </Text>
      {summary ? <Text bold>{summaryLine(summary, results.length)}</Text> : <Text dimColor>running {running.length} check(s)…</Text>}
      <FixView state={fix} showDiff={showDiff} />
      {bundle?.status ? <Text color="cyan">{bundle.status}</Text> : null}
      {summary && isRawModeSupported ? (
        <Text dimColor>
          ↑/↓ select · enter expand/collapse{onFix ? ' · f fix selected · F fix all · d diff' : ''}
          {bundle ? ' · b write support bundle' : ''} · q quit
        </Text>
      ) : null}
    </Box>
  );
}

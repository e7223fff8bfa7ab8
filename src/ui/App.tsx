// The doctor's terminal UI. Takes results as props; no I/O, no judging.
import { useState } from 'react';
import { Box, Text, useApp, useInput, useStdin } from 'ink';
import type { CheckResult, Status, Summary } from '../engine/types.js';
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
  /** The `b` key: write a support bundle of this node (absent when there is no live node, e.g.
   * --from-bundle). The caller does the writing and reports progress in `status`. */
  bundle?: { write(): void; status: string | null };
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

export function App({ header, demo, results, running, summary, verbose, frame, bundle }: AppProps) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const [selected, setSelected] = useState(0);
  const [toggled, setToggled] = useState<Set<string>>(new Set());
  useInput(
    (input, key) => {
      if (input === 'q' || key.escape) exit();
      else if (input === 'b' && bundle && summary) bundle.write();
      else if (key.upArrow || input === 'k') setSelected((s) => Math.max(0, s - 1));
      else if (key.downArrow || input === 'j') setSelected((s) => Math.min(results.length - 1, s + 1));
      else if (key.return || input === ' ') {
        const id = results[selected]?.id;
        if (!id) return;
        setToggled((t) => {
          const next = new Set(t);
          if (next.has(id)) next.delete(id);
          else next.add(id);
          return next;
        });
      }
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
      {bundle?.status ? <Text color="cyan">{bundle.status}</Text> : null}
      {summary && isRawModeSupported ? <Text dimColor>↑/↓ select · enter expand/collapse{bundle ? ' · b write support bundle' : ''} · q quit</Text> : null}
    </Box>
  );
}

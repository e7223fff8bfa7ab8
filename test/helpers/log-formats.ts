// Wraps real apiserver output the way each log source stores it, so one fixture exercises every
// format the scanner must read.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/kube-apiserver-1.20.2', import.meta.url));
export const NOW = new Date('2026-11-27T12:00:00Z');

export function fixtureLogs(): { name: string; lines: string[] }[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .map((f) => ({ name: f.replace(/\.log$/, ''), lines: readFileSync(`${FIXTURE_DIR}/${f}`, 'utf8').split('\n').filter(Boolean) }));
}

const at = (i: number): string => `2026-11-27T06:55:${String(30 + i).padStart(2, '0')}`;

export const FORMATS: Record<string, (lines: string[]) => string> = {
  plain: (lines) => lines.join('\n') + '\n',
  cri: (lines) => lines.map((l, i) => `${at(i)}.447301000Z stderr F ${l}`).join('\n') + '\n',
  /** Every line split by the runtime into 17-character `P` fragments closed by an `F` line. */
  'cri-split': (lines) =>
    lines
      .flatMap((l, i) => {
        const parts = l.match(/.{1,17}/g) ?? [''];
        return parts.map((p, j) => `${at(i)}.447301000Z stderr ${j === parts.length - 1 ? 'F' : 'P'} ${p}`);
      })
      .join('\n') + '\n',
  'journal-iso': (lines) => lines.map((l, i) => `${at(i)}+0000 node1 kube-apiserver[25896]: ${l}`).join('\n') + '\n',
  'journal-short': (lines) => lines.map((l, i) => `Nov 27 06:55:${30 + i} node1 kube-apiserver[25896]: ${l}`).join('\n') + '\n',
  /** The newer form of the same failure: klog's structured error with escaped quotes. */
  'command-failed': (lines) =>
    lines
      .map((l) =>
        l.startsWith('Error: ') ? `E1127 06:55:59.000001   25952 run.go:74] "command failed" err="${l.slice(7).replace(/"/g, '\\"')}"` : l,
      )
      .join('\n') + '\n',
};

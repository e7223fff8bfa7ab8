// Terminal colour, decided once by the CLI (TTY, FORCE_COLOR, NO_COLOR, --no-color).
import type { Status } from '../model/report.js';

export interface Style {
  status(s: Status, text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const CODES: Record<Status, string> = { pass: '32', warn: '33', fail: '31', skip: '90', unknown: '35' };

export function makeStyle(color: boolean): Style {
  const wrap = (code: string, t: string) => (color ? `\u001b[${code}m${t}\u001b[0m` : t);
  return { status: (s, t) => wrap(CODES[s], t), dim: (t) => wrap('2', t), bold: (t) => wrap('1', t) };
}

export const STATUS_LABEL: Record<Status, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP', unknown: 'UNKNOWN' };

export function wantsColor(env: NodeJS.ProcessEnv, isTTY: boolean, noColorFlag: boolean): boolean {
  if (noColorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY;
}

// Extracts kube-apiserver flags from a container's command and args, the way pflag reads them:
// `--flag=value` or `--flag value`, repeated flags keep the last value. Handles the go-runner
// wrapper (its own flags come before the binary) and the old kops `/bin/sh -c "... kube-apiserver
// --flag ..."` single-string form.
import type { Flag } from '../model/node.js';

export interface ArgToken {
  text: string;
  line: number | null;
  source: Flag['source'];
}

/** Boolean flags take no separate value: `--audit-dynamic-configuration --next` is two flags. */
const BOOLEAN_FLAGS = new Set([
  'audit-dynamic-configuration',
  'audit-log-compress',
  'allow-privileged',
  'anonymous-auth',
  'enable-bootstrap-token-auth',
  'enable-aggregator-routing',
  'enable-garbage-collector',
  'enable-priority-and-fairness',
  'profiling',
  'logtostderr',
  'alsologtostderr',
  'also-stdout',
  'redirect-stderr',
]);

export function isBoolean(name: string): boolean {
  return BOOLEAN_FLAGS.has(name) || /-(enable|enabled)$/.test(name);
}

const SHELL_OPERATORS = new Set([';', '&&', '||', '|', '&']);

/** Splits a shell command line into words (quotes and backslashes, no expansion). */
export function shellSplit(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      if (line[i + 1] !== '\n') cur += line[i + 1];
      i++;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else if (c === ';' || c === '|' || c === '&') {
      if (inWord) words.push(cur);
      let op = c;
      if ((c === '&' || c === '|') && line[i + 1] === c) op += line[++i];
      words.push(op);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Expands a `sh -c "<script>"` item into its words; other items stay as they are. */
function expandShell(tokens: ArgToken[]): ArgToken[] {
  const out: ArgToken[] = [];
  for (const t of tokens) {
    if (/\s/.test(t.text.trim()) && /kube-apiserver/.test(t.text)) {
      for (const word of shellSplit(t.text)) out.push({ text: word, line: t.line, source: 'shell' });
    } else out.push(t);
  }
  return out;
}

function isBinary(word: string): boolean {
  const b = basename(word);
  return b === 'kube-apiserver' || b === 'apiserver';
}

export interface ParsedFlags {
  flags: Flag[];
  /** True when the kube-apiserver binary was found in the command line. */
  binaryFound: boolean;
}

export function parseFlags(tokens: ArgToken[]): ParsedFlags {
  const words = expandShell(tokens);
  const binaryAt = words.findIndex((w) => isBinary(w.text));
  const rest = binaryAt >= 0 ? words.slice(binaryAt + 1) : words;
  const flags: Flag[] = [];
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    if (w.source === 'shell' && (SHELL_OPERATORS.has(w.text) || /^\d*[<>]/.test(w.text))) {
      // End of the apiserver's command in a shell script (redirections, `&&`, `;`).
      if (SHELL_OPERATORS.has(w.text)) break;
      if (/^\d*[<>]+&?$/.test(w.text)) i++; // `>` `file` as two words
      continue;
    }
    const m = /^--?([^=]+)(?:=([\s\S]*))?$/.exec(w.text);
    if (!m || w.text === '-' || w.text === '--') continue;
    const name = m[1]!;
    let value: string | null = m[2] ?? null;
    if (value === null && !isBoolean(name)) {
      const next = rest[i + 1];
      if (next && !next.text.startsWith('-') && !(next.source === 'shell' && SHELL_OPERATORS.has(next.text))) {
        value = next.text;
        i++;
      }
    }
    flags.push({ name, value, line: w.line, source: w.source });
  }
  return { flags, binaryFound: binaryAt >= 0 };
}

/** The value pflag ends up with: the last occurrence wins. */
export function lastFlag(flags: Flag[], name: string): Flag | undefined {
  for (let i = flags.length - 1; i >= 0; i--) if (flags[i]!.name === name) return flags[i];
  return undefined;
}

/** Parses `key=value` items of a config list (RKE2/k3s `kube-apiserver-arg`) into flags. */
export function flagsFromKeyValues(items: { text: string; line: number | null }[], source: Flag['source']): Flag[] {
  return items.map(({ text, line }) => {
    const clean = text.replace(/^--?/, '');
    const eq = clean.indexOf('=');
    return eq < 0 ? { name: clean, value: null, line, source } : { name: clean.slice(0, eq), value: clean.slice(eq + 1), line, source };
  });
}

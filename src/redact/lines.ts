// Redaction of consecutive lines (a log stream, a file, the lines of a fact): a secret can span
// lines. Kept one line behind, so that a secret wrapped over a line break (a CRI partial line, a
// wrapped URL, a flag and its value on two lines) is masked on both sides, and with the state of
// multi-line blocks: a PEM key, a YAML block scalar under a secret key, wrapped base64 of a key.
import { isSecretName, isSecretValue, MASK } from './names.js';
import { holdsPrivateKey, KEY_BEGIN, keyEnd, WEBHOOK_PATH_RE } from './rules.js';

export interface LineOut {
  text: string;
  /** False for a line the caller's filter dropped: it only moved the state along. */
  kept: boolean;
}

export interface CrossLine {
  /** Known secrets in every spelling (Literals.pattern), or null. */
  literals: RegExp | null;
  longest: number;
  /** --include-suffix: the webhook suffix stays. */
  webhookSuffix: boolean;
  /** False when redaction is off (--show-secrets): lines pass through one by one. */
  multiLine: boolean;
}

/** `2026-11-27T08:00:00.123Z stderr F ` (CRI log format): content starts after it. */
const CRI_PREFIX = /^\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d) (?:stdout|stderr) [PF] /;
const contentStart = (line: string) => CRI_PREFIX.exec(line)?.[0].length ?? 0;

/** `client-key-data: |`, `- token: >-`: a block scalar whose lines are the value. */
const BLOCK_SCALAR = /^(\s*)(-\s+)?["']?([\w.-]+)["']?\s*:\s*[|>][-+0-9]*\s*(#.*)?$/;
/** `- --client-secret` alone on a line (exec args): the next line is its value. */
const BARE_FLAG = /^\s*(?:-\s+)?["']?(--?[\w.-]+)["']?,?\s*$/;
/** `- name: DB_PASSWORD` followed by `value: x`. */
const ENV_NAME = /^\s*(?:-\s+)?["']?name["']?\s*:\s*["']?([\w.-]+)["']?\s*$/;
const ENV_VALUE = /^(\s*["']?value["']?\s*:\s*)(.+)$/;
const ALL_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Whether `next` continues `prev`'s last word: a CRI partial line (P), or plain text whose next
 * line starts at column 0 with a bare word (not YAML's next key or list item). */
function wrapsOn(prev: string, next: string, nStart: number): boolean {
  const cri = CRI_PREFIX.exec(prev);
  if (cri) return cri[0].endsWith(' P ');
  return nStart === 0 && /^[A-Za-z0-9+/=_%.-]+(?=$|[\s"'?#&])/.test(next) && !/^[\w.-]+:(\s|$)/.test(next);
}

type State = { kind: 'pem'; end: string } | { kind: 'block'; indent: number } | { kind: 'base64' } | null;

export class LineRedactor {
  private held: LineOut | null = null;
  private state: State = null;

  constructor(
    private readonly redactLine: (line: string) => string,
    private readonly cross: CrossLine,
    private readonly count: (rule: string) => void,
  ) {}

  /** Takes the next line; returns the previous one, finished (or null for the first). */
  push(line: string, kept = true): LineOut | null {
    let next = line;
    let out: LineOut | null = null;
    if (this.held) {
      [this.held.text, next] = this.join(this.held.text, next);
      out = this.finish(this.held);
    }
    this.held = { text: next, kept };
    return out;
  }

  end(): LineOut | null {
    const out = this.held ? this.finish(this.held) : null;
    this.held = null;
    return out;
  }

  /** Masks what spans the break between two raw lines. */
  private join(prev: string, next: string): [string, string] {
    if (!this.cross.multiLine) return [prev, next];
    const pStart = contentStart(prev);
    const pEnd = prev.replace(/[\s\r]+$/, '').length;
    const nPrefix = contentStart(next);
    const nStart = nPrefix + (/^\s*/.exec(next.slice(nPrefix))?.[0].length ?? 0);
    const pContent = prev.slice(pStart, pEnd);
    const nContent = next.slice(nStart);
    if (BARE_FLAG.test(pContent) && isSecretName(BARE_FLAG.exec(pContent)![1]!)) {
      const item = /^(-\s+)?(.*)$/.exec(nContent)!;
      if (isSecretValue(item[2]!) && item[2] !== '') {
        this.count('credential-field');
        return [prev, `${next.slice(0, nStart)}${item[1] ?? ''}${MASK}`];
      }
    }
    const env = ENV_NAME.exec(pContent);
    const value = env && isSecretName(env[1]!) ? ENV_VALUE.exec(nContent) : null;
    if (value && isSecretValue(value[2]!)) {
      this.count('credential-field');
      return [prev, `${next.slice(0, nStart)}${value[1]}${MASK}`];
    }
    const window = Math.min(1024, Math.max(this.cross.longest, 128));
    const tailFrom = Math.max(pStart, pEnd - window);
    const tail = prev.slice(tailFrom, pEnd);
    const joined = tail + nContent.slice(0, window);
    const cut = tail.length;
    // [from, to) in joined coordinates, masked on both sides of the break.
    const spans: [number, number, string][] = [];
    for (const m of this.cross.literals ? joined.matchAll(this.cross.literals) : [])
      spans.push([m.index, m.index + m[0].length, 'literal']);
    if (this.cross.webhookSuffix && wrapsOn(prev, next, nStart)) {
      for (const m of joined.matchAll(WEBHOOK_PATH_RE)) spans.push([m.index + m[1]!.length, m.index + m[0].length, 'webhook-suffix']);
    }
    // A literal must start before the break; a suffix may start right at it (the path ended the line).
    const crossing = spans.filter(([from, to, rule]) => to > cut && (from < cut || (from === cut && rule === 'webhook-suffix')));
    if (crossing.length === 0) return [prev, next];
    const from = Math.min(...crossing.map((s) => s[0]));
    const to = Math.max(...crossing.map((s) => s[1]));
    for (const s of crossing) this.count(s[2]);
    const prevOut = from < cut ? `${prev.slice(0, tailFrom + from)}${MASK}${prev.slice(pEnd)}` : prev;
    return [prevOut, `${next.slice(0, nStart)}${MASK}${next.slice(nStart + (to - cut))}`];
  }

  /** Applies the multi-line state, then the one-line rules. */
  private finish(line: LineOut): LineOut {
    if (!this.cross.multiLine) return { text: line.kept ? this.redactLine(line.text) : '', kept: line.kept };
    const start = contentStart(line.text);
    const content = line.text.slice(start);
    const state = this.state;
    if (state?.kind === 'pem') {
      if (content.includes(state.end)) this.state = null;
      return { text: MASK, kept: line.kept };
    }
    if (state?.kind === 'base64') {
      const trimmed = content.trim();
      if (ALL_BASE64.test(trimmed)) {
        if (trimmed.endsWith('=')) this.state = null;
        return { text: MASK, kept: line.kept };
      }
      this.state = null;
    }
    if (state?.kind === 'block') {
      if (content.trim() === '') return line;
      const indent = /^\s*/.exec(content)![0].length;
      if (indent > state.indent) return { text: `${line.text.slice(0, start + indent)}${MASK}`, kept: line.kept };
      this.state = null;
    }
    const begin = KEY_BEGIN.exec(content);
    if (begin && !content.includes(keyEnd(begin[1]!), begin.index)) this.state = { kind: 'pem', end: keyEnd(begin[1]!) };
    const block = BLOCK_SCALAR.exec(content);
    if (block && isSecretName(block[3]!)) this.state = { kind: 'block', indent: block[1]!.length + (block[2]?.length ?? 0) };
    const trailing = /[A-Za-z0-9+/]{48,}$/.exec(content);
    if (!this.state && trailing && holdsPrivateKey(trailing[0])) this.state = { kind: 'base64' };
    return { text: line.kept ? this.redactLine(line.text) : '', kept: line.kept };
  }
}

// One redaction path for everything that leaves the process: terminal output, JSON, JUnit, support
// bundles and log evidence. By structure first (facts and reports: a value under a secret-named key,
// the value of a secret-named env var or flag, exec-plugin env), then by pattern over every string,
// line by line with state (src/redact/lines.ts), and by literal: the secrets found in the facts
// (facts/secrets.ts), in every spelling (src/redact/literals.ts), wherever they reappear.
import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { LineRedactor, type LineOut } from './lines.js';
import { Literals } from './literals.js';
import { isSecretName, isSecretValue, MASK } from './names.js';
import { KEY_BEGIN, RULES, type Rule } from './rules.js';

export { MASK };

export interface RedactionCounts {
  [rule: string]: number;
}

export interface RedactorOptions {
  /** Rules to leave out, e.g. `webhook-suffix` for `bundle --include-suffix`. */
  skipRules?: string[];
  /** Secrets masked even when redaction is off (--show-secrets): the user's console token. */
  alwaysMask?: string[];
}

/** A PEM private key over several lines of one string: collapsed to one masked line. */
const KEY_BLOCK = new RegExp(`${KEY_BEGIN.source}[\\s\\S]*?-----END \\1-----`, 'g');
/** A "line" longer than this is redacted in pieces, so a file without newlines stays bounded. */
const MAX_LINE_CHARS = 1 << 20;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

export class Redactor {
  private readonly literals: Literals;
  private readonly alwaysMasked: Literals;
  private readonly rules: Rule[];

  constructor(
    literals: string[] = [],
    private readonly enabled = true,
    private readonly options: RedactorOptions = {},
  ) {
    this.literals = new Literals(literals);
    this.alwaysMasked = new Literals(options.alwaysMask ?? []);
    this.rules = RULES.filter((r) => !options.skipRules?.includes(r.name));
  }

  /** Masks secrets in a string (one line or many); counts what each rule replaced, never the values. */
  text(input: string, counts?: RedactionCounts): string {
    if (!input.includes('\n')) return this.line(input, counts);
    const collapsed = this.enabled
      ? input.replace(KEY_BLOCK, (_m, kind: string) =>
          this.counted(counts, 'private-key', `-----BEGIN ${kind}-----${MASK}-----END ${kind}-----`),
        )
      : input;
    return this.mapLines(collapsed.split('\n'), counts).join('\n');
  }

  /** One line, on its own: the user's own credentials, known secrets, then the rules. */
  private line(input: string, counts?: RedactionCounts): string {
    // The console token is masked even with --show-secrets, which only reveals secrets found in the
    // audit configuration.
    let out = this.alwaysMasked.mask(input, () => this.counted(counts, 'literal', ''));
    if (!this.enabled) return out;
    out = this.literals.mask(out, () => this.counted(counts, 'literal', ''));
    for (const rule of this.rules) {
      out = out.replace(rule.pattern, (...args) => {
        const match = args[0] as string;
        const replaced = rule.replace(...(args as [string, ...string[]]));
        return replaced === match ? match : this.counted(counts, rule.name, replaced);
      });
    }
    return out;
  }

  private counted(counts: RedactionCounts | undefined, rule: string, result: string): string {
    if (counts) counts[rule] = (counts[rule] ?? 0) + 1;
    return result;
  }

  private lineRedactor(counts?: RedactionCounts): LineRedactor {
    if (!this.enabled) {
      return new LineRedactor(
        (l) => this.line(l, counts),
        { literals: null, longest: 0, webhookSuffix: false, multiLine: false },
        () => {},
      );
    }
    const cross = {
      literals: this.literals.pattern,
      longest: this.literals.longest,
      webhookSuffix: !this.options.skipRules?.includes('webhook-suffix'),
      multiLine: true,
    };
    return new LineRedactor(
      (l) => this.line(l, counts),
      cross,
      (rule) => this.counted(counts, rule, ''),
    );
  }

  private mapLines(lines: string[], counts?: RedactionCounts): string[] {
    const lr = this.lineRedactor(counts);
    const out: string[] = [];
    for (const l of lines) {
      const done = lr.push(l);
      if (done) out.push(done.text);
    }
    const last = lr.end();
    if (last) out.push(last.text);
    return out;
  }

  /** Masks every string inside a JSON-like value. By structure first: a string under a secret-named
   * key, the value of a {name, value} pair whose name is secret (env, flags), every exec-plugin env
   * value. An array of strings is read as consecutive lines (a log excerpt, exec args), so a PEM key
   * split over its items, or a flag and its value, are masked whole. */
  value<T>(input: T, counts?: RedactionCounts, inExec = false): T {
    if (typeof input === 'string') return this.text(input, counts) as T;
    if (Array.isArray(input)) {
      if (input.length > 0 && input.every((v) => typeof v === 'string')) return this.mapLines(input as string[], counts) as T;
      return input.map((v) => this.value(v, counts, inExec)) as T;
    }
    if (!isObj(input)) return input;
    const named =
      this.enabled &&
      typeof input.name === 'string' &&
      typeof input.value === 'string' &&
      (inExec || isSecretName(input.name)) &&
      isSecretValue(input.value);
    return Object.fromEntries(
      Object.entries(input).map(([k, v]) => {
        const secret = this.enabled && typeof v === 'string' && ((named && k === 'value') || (isSecretName(k) && isSecretValue(v)));
        return [k, secret ? this.counted(counts, 'structure', MASK) : this.value(v, counts, inExec || k === 'exec')];
      }),
    ) as T;
  }

  /** Redacts a stream of text line by line (logs of any size, in bounded memory) and passes on the
   * lines `keep` accepts; a line it drops still moves the multi-line state along. */
  lines(counts?: RedactionCounts, keep: (line: string) => boolean = () => true): Transform {
    const decoder = new StringDecoder('utf8');
    const lr = this.lineRedactor(counts);
    let pending = '';
    const emit = (out: LineOut | null): string => (out && out.kept ? out.text + '\n' : '');
    return new Transform({
      transform(chunk: Buffer, _enc, done) {
        const lines = (pending + decoder.write(chunk)).split('\n');
        pending = lines.pop()!;
        if (pending.length > MAX_LINE_CHARS) {
          lines.push(pending);
          pending = '';
        }
        done(null, lines.map((line) => emit(lr.push(line, keep(line)))).join(''));
      },
      flush(done) {
        const rest = pending + decoder.end();
        let out = emit(lr.push(rest, rest !== '' && keep(rest)));
        const last = lr.end();
        // The last line has no newline of its own (or is the empty string after a final newline).
        if (last && last.kept) out += last.text;
        done(null, out);
      },
    });
  }
}

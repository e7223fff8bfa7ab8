// One redaction path for everything that leaves the process: terminal output, JSON, JUnit and
// support bundles. Masks the webhook URL suffix (it is the credential that lets anyone post events),
// tokens, passwords, private keys (PEM, or base64 of a PEM as in client-key-data) and JWTs, plus
// literal secrets the caller collected from the facts (see facts/secrets.ts).
import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export const MASK = '****';

interface Rule {
  name: string;
  pattern: RegExp;
  /** Returns the replacement; returning the match unchanged means "not a secret after all". */
  replace: (match: string, ...groups: string[]) => string;
}

/** A template placeholder ($SUFFIX, ${suffix}, <suffix>, {{ .suffix }}) is not a secret, and checks
 * report it as a mistake: keep it visible. */
const PLACEHOLDER = /^(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\{\{[^}]*\}\})$/;

/** `LS0tLS1CRUdJTi` is base64 of "-----BEGIN"; only a decoded PRIVATE KEY block is masked, so
 * certificate-authority-data (a certificate) stays readable for the CA checks. */
const BASE64_PEM = /LS0tLS1CRUdJTi[A-Za-z0-9+/=]*/g;

const RULES: Rule[] = [
  {
    name: 'private-key',
    pattern: /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g,
    replace: (_m, kind) => `-----BEGIN ${kind}PRIVATE KEY-----${MASK}-----END ${kind}PRIVATE KEY-----`,
  },
  {
    name: 'private-key-base64',
    pattern: BASE64_PEM,
    replace: (m) => (/PRIVATE KEY/.test(Buffer.from(m, 'base64').toString('latin1')) ? MASK : m),
  },
  {
    name: 'webhook-suffix',
    // Each path segment is masked on its own: a suffix with a "/" stays visibly wrong.
    pattern: /(\/api\/v1\/kubernetes\/webhook\/)([^\s"'?#<>\\]+)/g,
    replace: (_m, p, suffix) => p + suffix.split('/').map((seg) => (seg === '' || seg === MASK || PLACEHOLDER.test(seg) ? seg : MASK)).join('/'),
  },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replace: () => MASK },
  { name: 'bearer', pattern: /\b(Bearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi, replace: (_m, p) => `${p}${MASK}` },
  {
    name: 'credential-field',
    // YAML/JSON keys and flags that carry credentials: token, password, client-key(-data), secrets.
    // A quoted value is masked to its closing quote (a passphrase may hold spaces). A value that is an
    // absolute path (--kubelet-client-key=/etc/...) names a file: kept as evidence.
    pattern: /((?:^|[\s{,"'-])(?:token|password|passwd|client-key-data|client-key|secret|api[-_]?key|webhookUrlSuffix|PRISMA_TOKEN|authorization)["']?\s*[:=]\s*)(?!["']?\*\*\*\*|["']?\/)("[^"\n]*"|'[^'\n]*'|[^\s"',}]+)/gim,
    replace: (_m, p, value) => {
      const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
      return `${p}${quote}${MASK}${quote}`;
    },
  },
];

export const RULE_NAMES = ['literal', ...RULES.map((r) => r.name)];

export interface RedactionCounts {
  [rule: string]: number;
}

export interface RedactorOptions {
  /** Rules to leave out, e.g. `webhook-suffix` for `bundle --include-suffix`. */
  skipRules?: string[];
  /** Secrets masked even when redaction is off (--show-secrets): the user's console token. */
  alwaysMask?: string[];
}

/** Longest first, so a secret that contains another is masked whole. */
const byLength = (secrets: string[]) => [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);

const PEM_KEY_BEGIN = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----/;
/** A "line" longer than this is redacted in pieces, so a file without newlines stays bounded. */
const MAX_LINE_CHARS = 1 << 20;

export class Redactor {
  private readonly literals: string[];
  private readonly alwaysMasked: string[];
  private readonly rules: Rule[];

  constructor(
    literals: string[] = [],
    private readonly enabled = true,
    options: RedactorOptions = {},
  ) {
    this.literals = byLength(literals);
    this.alwaysMasked = byLength(options.alwaysMask ?? []);
    this.rules = RULES.filter((r) => !options.skipRules?.includes(r.name));
  }

  /** Masks secrets in a string; counts what each rule replaced (never the values). */
  text(input: string, counts?: RedactionCounts): string {
    let out = input;
    // The user's own credentials (the console token) are masked even with --show-secrets, which
    // only reveals secrets found in the audit configuration.
    out = this.maskLiterals(out, this.alwaysMasked, counts);
    if (!this.enabled) return out;
    out = this.maskLiterals(out, this.literals, counts);
    for (const rule of this.rules) {
      out = out.replace(rule.pattern, (...args) => {
        const match = args[0] as string;
        const replaced = rule.replace(...(args as [string, ...string[]]));
        if (counts && replaced !== match) counts[rule.name] = (counts[rule.name] ?? 0) + 1;
        return replaced;
      });
    }
    return out;
  }

  private maskLiterals(text: string, secrets: string[], counts?: RedactionCounts): string {
    let out = text;
    for (const secret of secrets) {
      const parts = out.split(secret);
      if (parts.length > 1 && counts) counts.literal = (counts.literal ?? 0) + parts.length - 1;
      out = parts.join(MASK);
    }
    return out;
  }

  /** Masks every string inside a JSON-like value. An array of strings is read as consecutive lines
   * (a log excerpt in a fact), so a PEM key split over its items is masked whole. */
  value<T>(input: T, counts?: RedactionCounts): T {
    if (typeof input === 'string') return this.text(input, counts) as T;
    if (Array.isArray(input)) {
      if (input.length > 0 && input.every((v) => typeof v === 'string')) {
        const redactLine = this.lineByLine(counts);
        return input.map((line: string) => redactLine(line)) as T;
      }
      return input.map((v) => this.value(v, counts)) as T;
    }
    if (input && typeof input === 'object' && !(input instanceof Date)) {
      return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, this.value(v, counts)])) as T;
    }
    return input;
  }

  /** A redactor for consecutive lines: a PEM private key spans lines, so the lines between its
   * BEGIN and END are masked whole. With emit false a line only moves that state along (a line a
   * filter drops is neither redacted nor counted). */
  private lineByLine(counts?: RedactionCounts): (line: string, emit?: boolean) => string {
    let insideKey: string | null = null;
    return (line, emit = true) => {
      if (!this.enabled) return line;
      if (insideKey !== null) {
        if (line.includes(`-----END ${insideKey}PRIVATE KEY-----`)) insideKey = null;
        return MASK;
      }
      const begin = PEM_KEY_BEGIN.exec(line);
      if (begin && !line.includes(`-----END ${begin[1]}PRIVATE KEY-----`)) insideKey = begin[1]!;
      return emit ? this.text(line, counts) : '';
    };
  }

  /** Redacts a stream of text line by line (logs of any size, in bounded memory) and passes on the
   * lines `keep` accepts. */
  lines(counts?: RedactionCounts, keep: (line: string) => boolean = () => true): Transform {
    const decoder = new StringDecoder('utf8');
    const redactLine = this.lineByLine(counts);
    let pending = '';
    /** The redacted line with its newline, or '' when it is not kept. */
    const emit = (line: string, newline: string): string => {
      const kept = keep(line);
      const redacted = redactLine(line, kept);
      return kept ? redacted + newline : '';
    };
    return new Transform({
      transform(chunk: Buffer, _enc, done) {
        const lines = (pending + decoder.write(chunk)).split('\n');
        pending = lines.pop()!;
        if (pending.length > MAX_LINE_CHARS) {
          lines.push(pending);
          pending = '';
        }
        done(null, lines.map((line) => emit(line, '\n')).join(''));
      },
      flush(done) {
        const rest = pending + decoder.end();
        done(null, rest === '' ? '' : emit(rest, ''));
      },
    });
  }
}

// One redaction path for everything that leaves the process: terminal output, JSON, JUnit and
// support bundles. Masks the webhook URL suffix (it is the credential that lets anyone post events),
// tokens, passwords, private keys and JWTs.

export const MASK = '****';

interface Rule {
  name: string;
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const RULES: Rule[] = [
  {
    name: 'private-key',
    pattern: /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g,
    replace: (_m, kind) => `-----BEGIN ${kind}PRIVATE KEY-----${MASK}-----END ${kind}PRIVATE KEY-----`,
  },
  { name: 'webhook-suffix', pattern: /(\/api\/v1\/kubernetes\/webhook\/)[^\s"'?#<>\\]+/g, replace: (_m, p) => `${p}${MASK}` },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replace: () => MASK },
  { name: 'bearer', pattern: /\b(Bearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi, replace: (_m, p) => `${p}${MASK}` },
  {
    name: 'credential-field',
    // YAML/JSON keys and flags that carry credentials: token, password, client-key(-data), secrets.
    pattern: /((?:^|[\s{,"'-])(?:token|password|passwd|client-key-data|client-key|secret|api[-_]?key|webhookUrlSuffix|PRISMA_TOKEN|authorization)["']?\s*[:=]\s*["']?)(?!\*\*\*\*)([^\s"',}]+)/gim,
    replace: (_m, p) => `${p}${MASK}`,
  },
];

export interface RedactionCounts {
  [rule: string]: number;
}

export class Redactor {
  private readonly literals: string[];

  constructor(
    literals: string[] = [],
    private readonly enabled = true,
  ) {
    // Longest first, so a secret that contains another is masked whole.
    this.literals = [...new Set(literals.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  }

  /** Masks secrets in a string; counts what each rule replaced (never the values). */
  text(input: string, counts?: RedactionCounts): string {
    let out = input;
    // Literal secrets are the user's own credentials (the console token): masked even with
    // --show-secrets, which only reveals secrets found in the audit configuration.
    for (const secret of this.literals) {
      const parts = out.split(secret);
      if (parts.length > 1 && counts) counts.literal = (counts.literal ?? 0) + parts.length - 1;
      out = parts.join(MASK);
    }
    if (!this.enabled) return out;
    for (const rule of RULES) {
      out = out.replace(rule.pattern, (...args) => {
        if (counts) counts[rule.name] = (counts[rule.name] ?? 0) + 1;
        return rule.replace(...(args as [string, ...string[]]));
      });
    }
    return out;
  }

  /** Masks every string inside a JSON-like value. */
  value<T>(input: T, counts?: RedactionCounts): T {
    if (typeof input === 'string') return this.text(input, counts) as T;
    if (Array.isArray(input)) return input.map((v) => this.value(v, counts)) as T;
    if (input && typeof input === 'object' && !(input instanceof Date)) {
      return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, this.value(v, counts)])) as T;
    }
    return input;
  }
}

// Secrets recognised by their shape in one line of text: keys, PEM blocks, base64 of keys, the
// webhook suffix, URL credentials, tokens. Each rule counts under its own name in redactions.json.
import { isSecretName, isSecretValue, MASK } from './names.js';

export interface Rule {
  name: string;
  pattern: RegExp;
  /** Returns the replacement; returning the match unchanged means "not a secret after all". */
  replace: (match: string, ...groups: string[]) => string;
}

/** A template placeholder ($SUFFIX, ${suffix}, <suffix>, {{ .suffix }}) is not a secret, and checks
 * report it as a mistake: keep it visible. */
const PLACEHOLDER = /^(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\{\{[^}]*\}\})$/;

/** `-----BEGIN RSA PRIVATE KEY-----`, `-----BEGIN PGP PRIVATE KEY BLOCK-----`. */
export const KEY_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/;
export const keyEnd = (kind: string) => `-----END ${kind}-----`;

/** A run of base64 long enough to hold a PEM header. */
export const BASE64_RUN = /[A-Za-z0-9+/]{48,}={0,2}/g;

/** True when a base64 run, read from any of its four character alignments, decodes to text that
 * holds a private key (directly, or as base64 once more: a base64'd kubeconfig). */
export function holdsPrivateKey(run: string, depth = 0): boolean {
  for (let shift = 0; shift < 4; shift++) {
    const aligned = run.slice(shift, run.length - ((run.length - shift) % 4));
    const decoded = Buffer.from(aligned, 'base64').toString('latin1');
    if (/PRIVATE KEY/.test(decoded)) return true;
    if (depth === 0 && [...decoded.matchAll(BASE64_RUN)].some((m) => holdsPrivateKey(m[0], 1))) return true;
  }
  return false;
}

export const WEBHOOK_PATH_RE = /(\/api\/v1\/kubernetes\/webhook\/)([^\s"'?#<>\\]*)/g;

const maskSegments = (suffix: string) =>
  suffix
    .split('/')
    .map((seg) => (seg === '' || seg === MASK || PLACEHOLDER.test(seg) ? seg : MASK))
    .join('/');

export const RULES: Rule[] = [
  {
    name: 'private-key',
    // A key on one line: JSON with \n escapes, or a block whose end comes on a later line.
    pattern: new RegExp(`${KEY_BEGIN.source}[\\s\\S]*?(-----END \\1-----|$)`, 'g'),
    replace: (_m, kind) => `-----BEGIN ${kind}-----${MASK}${keyEnd(kind!)}`,
  },
  { name: 'private-key-base64', pattern: BASE64_RUN, replace: (m) => (holdsPrivateKey(m) ? MASK : m) },
  {
    name: 'webhook-suffix',
    // Each path segment is masked on its own: a suffix with a "/" stays visibly wrong.
    pattern: WEBHOOK_PATH_RE,
    replace: (m, p, suffix) => (suffix === '' ? m : p + maskSegments(suffix!)),
  },
  {
    name: 'webhook-suffix',
    // The same URL percent-encoded, as a query parameter or in an escaped log field.
    pattern: /(%2Fapi%2Fv1%2Fkubernetes%2Fwebhook%2F)([A-Za-z0-9%._~+-]+)/gi,
    replace: (_m, p) => `${p}${MASK}`,
  },
  {
    name: 'url-userinfo',
    // https://user:password@host: a proxy URL in env, a server URL, a URL in a log line.
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@"'<>?#]+)@/gi,
    replace: (m, scheme, info) => (info === MASK ? m : `${scheme}${MASK}@`),
  },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replace: () => MASK },
  {
    name: 'authorization',
    pattern: /(authorization["']?\s*[:=]\s*["']?(?:(?:Basic|Bearer|Token|Digest|Negotiate)\s+)?)([^\s"',;]+)/gi,
    replace: (m, p, v) => (v === MASK ? m : `${p}${MASK}`),
  },
  { name: 'bearer', pattern: /\b(Bearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi, replace: (_m, p) => `${p}${MASK}` },
  {
    name: 'credential-field',
    // `name: DB_PASSWORD, value: x` (env in flow YAML or JSON): the value belongs to the name.
    pattern:
      /(\bname\\?["']?\s*:\s*\\?["']?([\w.-]+)\\?["']?\s*,\s*\\?["']?value\\?["']?\s*:\s*)("[^"\n]*"|'[^'\n]*'|\\"[^\\\n]*\\"|[^\s,}]+)/g,
    replace: (m, p, name, value) => (isSecretName(name!) && isSecretValue(value!) ? `${p}${quoted(value!)}` : m),
  },
  {
    name: 'credential-field',
    // key=value, key: value, "key": "value", --flag=value, ?key=value&: any key that names a
    // credential. A quoted value is masked to its closing quote (a passphrase may hold spaces).
    pattern: /(?<![A-Za-z0-9_.-])(-{0,2}[A-Za-z][A-Za-z0-9_.-]*)(\\?["']?\s*[:=]\s*)("[^"\n]*"|'[^'\n]*'|\\"[^\\\n]*\\"|[^\s"',}&;\\]+)/g,
    // Authorization has its own rule, which keeps the scheme (Bearer, Basic).
    replace: (m, key, sep, value) =>
      isSecretName(key!) && !/^authorization$/i.test(key!) && isSecretValue(value!) && !value!.includes(MASK)
        ? `${key}${sep}${quoted(value!)}`
        : m,
  },
  {
    name: 'credential-field',
    // `--client-secret VALUE`: a command line echoed in a log, the flag and its value apart.
    pattern: /(?<![A-Za-z0-9_.-])(--?[A-Za-z][A-Za-z0-9_.-]*)(\s+)(?!-)([^\s"',;]+)/g,
    replace: (m, flag, space, value) => (isSecretName(flag!) && isSecretValue(value!) && value !== MASK ? `${flag}${space}${MASK}` : m),
  },
];

/** The mask, keeping the value's quotes so the surrounding YAML or JSON stays readable. */
function quoted(value: string): string {
  if (value.startsWith('\\"')) return `\\"${MASK}\\"`;
  const q = value[0] === '"' || value[0] === "'" ? value[0] : '';
  return `${q}${MASK}${q}`;
}

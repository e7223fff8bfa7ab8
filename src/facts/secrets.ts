// Literal secrets found in the facts, for the Redactor: a secret can reappear anywhere without the
// context a pattern needs (the webhook suffix in a log line, a kubeconfig token in an error message),
// so the values themselves are masked wherever they occur. Shared by `doctor` and `bundle`.
import type { Facts } from '../model/facts.js';
import type { FactSource } from '../model/facts.js';
import { Redactor } from '../redact/redactor.js';
import { isSecretName, isSecretValue } from '../redact/names.js';
import { WEBHOOK_PATH } from '../parse/webhook-url.js';
import { isObj } from '../parse/json-value.js';

/** The facts a redactor needs before anything is shown. */
export const SECRET_FACTS = ['apiserver', 'webhookConfig'] as const;

export interface SecretOptions {
  /** `bundle --include-suffix`: the webhook suffix stays visible. */
  includeSuffix?: boolean;
  /** The user's own credentials (the console token): masked even with --show-secrets. */
  alwaysMask?: string[];
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A multi-line value (a `client-key-data: |` block, a folded scalar) appears in its file line by
 * line: each long enough piece is a literal too. */
function withPieces(value: string): string[] {
  const pieces = value.split(/\s+/).filter((p) => p.length >= 8);
  return pieces.length > 1 ? [value, ...pieces] : [value];
}

/** user:password of every URL in a string (a proxy env var, a server URL). */
function userinfo(text: string, out: string[]): void {
  for (const m of text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/([^\s/@"'<>?#]+)@/gi)) {
    const info = m[1]!;
    out.push(info, decodeSafely(info));
    const colon = info.indexOf(':');
    if (colon >= 0) out.push(info.slice(colon + 1), decodeSafely(info.slice(colon + 1)));
  }
}

const decodeSafely = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Every credential in a kubeconfig user entry, however deep: secret-named fields (auth-provider
 * config), every exec-plugin env value, and exec args after or inside a secret-named flag. */
function userSecrets(value: unknown, out: string[], inExec = false): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item !== 'string') return userSecrets(item, out, inExec);
      const inline = /^--?([\w.-]+)=(.*)$/s.exec(item);
      if (inline && isSecretName(inline[1]!)) out.push(...withPieces(inline[2]!));
      const prev = value[i - 1];
      if (typeof prev === 'string' && /^--?[\w.-]+$/.test(prev) && isSecretName(prev)) out.push(...withPieces(item));
    });
    return;
  }
  if (!isObj(value)) return;
  if (typeof value.name === 'string' && typeof value.value === 'string' && (inExec || isSecretName(value.name)))
    out.push(...withPieces(value.value));
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' && isSecretName(key)) out.push(...withPieces(v));
    else userSecrets(v, out, inExec || key === 'exec');
  }
}

export function secretLiterals(facts: Partial<Facts>, env: NodeJS.ProcessEnv, opts: SecretOptions = {}): string[] {
  const out: string[] = [];
  if (env.PRISMA_TOKEN) out.push(env.PRISMA_TOKEN);
  const api = facts.apiserver;
  if (api?.ok) {
    for (const e of api.value.env) {
      if (!e.value) continue;
      if (isSecretName(e.name)) out.push(...withPieces(e.value));
      userinfo(e.value, out);
    }
    // A file flag (--token-auth-file=/etc/...) names evidence, not a secret; a secret may hold "/".
    for (const f of api.value.flags) {
      if (!f.value) continue;
      if (isSecretName(f.name)) out.push(f.value);
      userinfo(f.value, out);
    }
  }
  const webhook = facts.webhookConfig;
  if (webhook?.ok && isObj(webhook.value.value)) {
    const kc = webhook.value.value;
    for (const u of list(kc.users)) if (isObj(u)) userSecrets(u.user, out);
    for (const c of list(kc.clusters)) {
      const cluster = isObj(c) && isObj(c.cluster) ? c.cluster : {};
      for (const field of ['server', 'proxy-url']) if (typeof cluster[field] === 'string') userinfo(cluster[field], out);
      if (opts.includeSuffix) continue;
      const server = typeof cluster.server === 'string' ? cluster.server : null;
      // Taken from the text as written: a parsed URL's path is percent-encoded, the file is not.
      const at = server?.indexOf(WEBHOOK_PATH) ?? -1;
      const segments =
        server && at >= 0
          ? server
              .slice(at + WEBHOOK_PATH.length)
              .split(/[?#]/)[0]!
              .split('/')
          : [];
      // Whole suffix and each segment (Literals adds the percent-encoded and base64 spellings).
      out.push(...segments.filter(isSecretValue), segments.join('/'));
    }
  }
  return [...new Set(out)].filter(isSecretValue);
}

/** The redactor for everything gathered from these facts. */
export function secretRedactor(facts: Partial<Facts>, env: NodeJS.ProcessEnv, opts: SecretOptions = {}): Redactor {
  return new Redactor(secretLiterals(facts, env, opts), true, {
    skipRules: opts.includeSuffix ? ['webhook-suffix'] : [],
    alwaysMask: opts.alwaysMask ?? [],
  });
}

/** The doctor's redactor: gathers the facts that hold secrets first, so that even progress events
 * streamed to the terminal are masked. */
export async function redactorFor(
  source: FactSource,
  env: NodeJS.ProcessEnv,
  enabled: boolean,
  alwaysMask: string[] = [],
): Promise<Redactor> {
  if (!enabled) return new Redactor([], false, { alwaysMask });
  const facts: Partial<Facts> = {};
  await Promise.all(SECRET_FACTS.map(async (key) => void (facts[key] = (await source.fact(key)) as never)));
  return secretRedactor(facts, env, { alwaysMask });
}

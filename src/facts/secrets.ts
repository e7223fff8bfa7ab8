// Literal secrets found in the facts, for the Redactor: a secret can reappear anywhere without the
// context a pattern needs (the webhook suffix in a log line, a kubeconfig token in an error message),
// so the values themselves are masked wherever they occur. Shared by `doctor` and `bundle`.
import type { Facts } from '../model/facts.js';
import type { FactSource } from '../model/facts.js';
import { Redactor } from '../redact/redactor.js';
import { WEBHOOK_PATH } from '../parse/webhook-url.js';

/** Environment variable and flag names that carry a credential. */
const SECRET_NAME = /token|passw(or)?d|secret|api[-_]?key|credential|private[-_]?key/i;
/** Kubeconfig user fields that hold a credential inline (tokenFile and client-key are paths). */
const KUBECONFIG_SECRET_FIELD = /^(token|password|client-key-data|id-token|refresh-token|access-token|client-secret)$/;
/** Values that name a secret without being one: placeholders and switches. */
const NOT_A_SECRET = /^(\$\{?\w+\}?|\{\{[^}]*\}\}|true|false|yes|no|\*+)$/i;

/** The facts a redactor needs before anything is shown. */
export const SECRET_FACTS = ['apiserver', 'webhookConfig'] as const;

export interface SecretOptions {
  /** `bundle --include-suffix`: the webhook suffix stays visible. */
  includeSuffix?: boolean;
  /** The user's own credentials (the console token): masked even with --show-secrets. */
  alwaysMask?: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Collects every credential value of a kubeconfig user entry, however deep (auth-provider config). */
function userSecrets(value: unknown, out: string[]): void {
  if (!isObj(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' && KUBECONFIG_SECRET_FIELD.test(key)) out.push(v);
    else userSecrets(v, out);
  }
}

export function secretLiterals(facts: Partial<Facts>, env: NodeJS.ProcessEnv, opts: SecretOptions = {}): string[] {
  const out: string[] = [];
  if (env.PRISMA_TOKEN) out.push(env.PRISMA_TOKEN);
  const api = facts.apiserver;
  if (api?.ok) {
    for (const e of api.value.env) if (e.value && SECRET_NAME.test(e.name)) out.push(e.value);
    // A path (--token-auth-file=/etc/...) is evidence, not a secret.
    for (const f of api.value.flags) if (f.value && SECRET_NAME.test(f.name) && !f.value.includes('/')) out.push(f.value);
  }
  const webhook = facts.webhookConfig;
  if (webhook?.ok && isObj(webhook.value.value)) {
    const kc = webhook.value.value;
    for (const u of list(kc.users)) if (isObj(u)) userSecrets(u.user, out);
    if (!opts.includeSuffix) {
      for (const c of list(kc.clusters)) {
        const server = isObj(c) && isObj(c.cluster) && typeof c.cluster.server === 'string' ? c.cluster.server : null;
        // Taken from the text as written: a parsed URL's path is percent-encoded, the file is not.
        const at = server?.indexOf(WEBHOOK_PATH) ?? -1;
        // Logs may print it percent-encoded (a trailing "=" as %3D): mask that spelling too.
        const segments = server && at >= 0 ? server.slice(at + WEBHOOK_PATH.length).split(/[?#]/)[0]!.split('/') : [];
        for (const seg of segments.filter((x) => !NOT_A_SECRET.test(x))) out.push(seg, encodeURIComponent(seg));
      }
    }
  }
  return [...new Set(out)].filter((s) => s !== '' && !NOT_A_SECRET.test(s));
}

/** The redactor for everything gathered from these facts. */
export function secretRedactor(facts: Partial<Facts>, env: NodeJS.ProcessEnv, opts: SecretOptions = {}): Redactor {
  return new Redactor(secretLiterals(facts, env, opts), true, { skipRules: opts.includeSuffix ? ['webhook-suffix'] : [], alwaysMask: opts.alwaysMask ?? [] });
}

/** The doctor's redactor: gathers the facts that hold secrets first, so that even progress events
 * streamed to the terminal are masked. */
export async function redactorFor(source: FactSource, env: NodeJS.ProcessEnv, enabled: boolean, alwaysMask: string[] = []): Promise<Redactor> {
  if (!enabled) return new Redactor([], false, { alwaysMask });
  const facts: Partial<Facts> = {};
  await Promise.all(SECRET_FACTS.map(async (key) => void (facts[key] = (await source.fact(key)) as never)));
  return secretRedactor(facts, env, { alwaysMask });
}

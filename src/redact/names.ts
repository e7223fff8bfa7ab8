// What counts as a secret by name and by value: shared by the patterns (key=value in text), the
// structural pass over facts and reports, and the literals collected from the facts.

export const MASK = '****';

/** Flag, env, YAML/JSON and query keys that carry a credential. */
const SECRET_NAME =
  /token|passw(?:or)?d|pwd|secret|api[-_]?key|access[-_]?key|credential|private[-_]?key|key[-_]?data|webhookurlsuffix|authorization/i;
/** Names that hold a secret's file, a switch or a setting about secrets, not the secret itself:
 * --token-auth-file, tokenFile, --authorization-mode, --service-account-max-token-expiration. */
const NAMES_A_SETTING = /(file|path|dir|expiration|ttl|lookup|issuer|mode|type|audiences?|claim|prefix|url|auth)$/i;

export function isSecretName(name: string): boolean {
  const n = name.replace(/^-+/, '');
  return SECRET_NAME.test(n) && !NAMES_A_SETTING.test(n);
}

/** Values that name a secret without being one: YAML aliases, placeholders, switches, masks. */
const NOT_A_SECRET = /^(\*[\w.-]+|\$\{?\w+\}?|\{\{[^}]*\}\}|<[\w-]+>|true|false|yes|no|null|~|\*+|)$/i;

/** An absolute path after a credential-looking key names a file: kept as evidence. */
export function isSecretValue(value: string): boolean {
  const v = value.trim().replace(/^["']|["']$/g, '');
  return !NOT_A_SECRET.test(v) && !v.startsWith('/');
}

/** Flags whose value names a file of credentials: such files are never read into a bundle. */
export function namesSecretFile(flag: string): boolean {
  return flag === 'token-auth-file' || flag === 'basic-auth-file' || /-key-file$/.test(flag);
}

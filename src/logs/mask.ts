// Masks secrets in log lines before they leave the node in a report or bundle: the webhook URL
// suffix is Prisma's shared secret (domain.md 1.1), bearer tokens and JWTs are credentials.

const WEBHOOK_SUFFIX = /(\/api\/v1\/kubernetes\/webhook\/)[^\s"'?\\]+/g;
const BEARER = /(Bearer\s+)[^\s"'\\]+/gi;
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** A kubeconfig token echoed in a decode error's context (`"token":"..."`, `token: ...`). */
const TOKEN_FIELD = /(\btoken"?\s*[:=]\s*"?)[^\s",}|]+/gi;

const MASK = '****';

export function maskSecrets(line: string): string {
  return line
    .replace(WEBHOOK_SUFFIX, `$1${MASK}`)
    .replace(BEARER, `$1${MASK}`)
    .replace(JWT, MASK)
    .replace(TOKEN_FIELD, `$1${MASK}`);
}

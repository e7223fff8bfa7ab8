// What every command's option parser shares: the usage error (exit 2), strict parseArgs, and
// --timeout. Kept apart from args.ts so the per-command parsers import it without an import cycle.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from './suggest.js';

export class UsageError extends Error {}

/** `-o=json` is read as `-o json` (parseArgs would take "=json" as the value). */
const splitShortEquals = (args: string[]) => args.flatMap((a) => (/^-[a-zA-Z]=/.test(a) ? [a.slice(0, 2), a.slice(3)] : [a]));

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args: splitShortEquals(args), options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/, '');
    const unknown = /^Unknown option '(--?[^'=]+)'/.exec(message)?.[1];
    if (unknown)
      throw new UsageError(
        `unknown option ${unknown}${didYouMean(
          unknown,
          Object.keys(options).map((k) => `--${k}`),
        )}`,
      );
    throw new UsageError(message);
  }
}

/** --timeout SECONDS (default 5): the bound of each network step. */
export function timeoutMs(value: string | undefined): number {
  const seconds = value === undefined ? 5 : Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600)
    throw new UsageError(`--timeout takes seconds between 0 and 600, not "${value}"`);
  return Math.round(seconds * 1000);
}

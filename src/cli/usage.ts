// What every command's option parser shares: the usage error (exit 2), strict parseArgs, and
// --timeout. Kept apart from args.ts so the per-command parsers import it without an import cycle.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/, ''));
  }
}

/** --timeout SECONDS (default 5): the bound of each network step. */
export function timeoutMs(value: string | undefined): number {
  const seconds = value === undefined ? 5 : Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw new UsageError(`--timeout takes seconds between 0 and 600, not "${value}"`);
  return Math.round(seconds * 1000);
}

// `prisma-audit checks` and `prisma-audit explain ID`.
import { CHECKS, findCheck } from '../checks/index.js';
import { didYouMean } from './suggest.js';
import { UsageError } from './usage.js';

export function renderCatalogue(json: boolean): string {
  if (json)
    return (
      JSON.stringify(
        CHECKS.map((c) => ({ id: c.id, title: c.title, reads: c.reads, network: Boolean(c.network) })),
        null,
        2,
      ) + '\n'
    );
  const width = Math.max(...CHECKS.map((c) => c.id.length));
  return (
    CHECKS.map((c) => `${c.id.padEnd(width)}  ${c.title}${c.network ? ' (network)' : ''}\n${' '.repeat(width + 2)}reads: ${c.reads}`).join(
      '\n',
    ) + '\n'
  );
}

export function renderExplain(id: string): string {
  const check = findCheck(id);
  if (!check)
    throw new UsageError(
      `no check "${id}"${
        didYouMean(
          id,
          CHECKS.map((c) => c.id),
        ) || '; run prisma-audit checks for the list'
      }`,
    );
  const e = check.explain;
  return `${check.id}: ${check.title}\n\nWhy it matters\n  ${e.why}\n\nHow it is detected\n  ${e.detect}\n\nHow to fix it by hand\n  ${e.fix}\n\nReads: ${check.reads}\n`;
}

// The log lines Kubernetes 1.36's own audit code printed (fixtures/oracle-logs, captured by
// `npm run test:versions` with PRISMA_AUDIT_CAPTURE_LOGS; see SOURCES.md there), fed to the signature
// catalogue: each start-up error is read as a specific fatal signature, the lenient-decoding notice
// as a warning, each delivery failure as its own error. Offline: the lines are files.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchSignatures } from '../../src/logs/match.js';
import { REPO } from '../helpers/cli.js';

interface Captured {
  case: string;
  line: string;
}

const read = (name: string): Captured[] =>
  readFileSync(path.join(REPO, 'fixtures/oracle-logs', name), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Captured);

const lines136 = read('k8s-1.36.4.jsonl');

describe('log lines printed by Kubernetes 1.36 audit code', () => {
  it('has start-up errors, a warning and delivery failures to read', () => {
    expect(lines136.filter((l) => l.line.includes('"command failed"')).length).toBeGreaterThanOrEqual(30);
    expect(lines136.some((l) => l.line.includes('lenient decoding'))).toBe(true);
    expect(lines136.some((l) => l.line.includes("Error in audit plugin 'webhook'"))).toBe(true);
  });

  it.each(lines136.filter((l) => l.line.includes('"command failed"')))('start-up error, $case', ({ line }) => {
    const found = matchSignatures(line);
    expect(
      found.map((s) => s.severity),
      line,
    ).toEqual(['fatal']);
    // A specific signature, not the catch-all of its family, whenever the catalogue has one for it.
    expect(found[0]!.implicates, line).toMatch(/^(audit-|webhook-)/);
  });

  it.each(lines136.filter((l) => l.line.startsWith('W')))('warning, $case', ({ line }) => {
    const found = matchSignatures(line);
    expect(found.map((s) => [s.id, s.severity])).toEqual([['policy-lenient-decoding', 'warning']]);
  });

  it.each(lines136.filter((l) => l.line.includes("Error in audit plugin 'webhook'")))('delivery failure, $case', ({ line }) => {
    const found = matchSignatures(line);
    expect(found).toHaveLength(1);
    expect(found[0]!.severity).toBe('error');
    if (line.includes('tls: failed to verify certificate: x509: ')) expect(found[0]!.id, line).toMatch(/^webhook-x509-/);
  });
});

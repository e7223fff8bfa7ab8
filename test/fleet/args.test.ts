// fleet's command line: what reaches the doctor in each pod, and usage errors (exit 2).
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/usage.js';

const fleet = (...argv: string[]) => {
  const c = parseCommand(argv);
  if (c.name !== 'fleet') throw new Error(`parsed as ${c.name}`);
  return c.options;
};

describe('fleet options', () => {
  it('has safe defaults and hands the check selection and network options to the doctor', () => {
    const o = fleet('fleet', '--only', 'audit-policy-valid', '--offline', '--timeout', '3', '--since', '2h');
    expect(o).toMatchObject({
      namespace: 'prisma-audit',
      parallel: 10,
      deadlineMs: 120_000,
      keep: false,
      contexts: null,
      image: expect.stringMatching(/^prisma-audit:/),
    });
    expect(o.doctorArgs).toEqual(['--only', 'audit-policy-valid', '--offline', '--since', '2h', '--timeout', '3']);
  });

  it('doctor --all-nodes is the same command', () => {
    expect(parseCommand(['doctor', '--all-nodes', '--parallel', '3']).name).toBe('fleet');
    expect(fleet('doctor', '--all-nodes', '--contexts', 'all').contexts).toEqual(['*']);
  });

  it.each([
    [['--parallel', '0'], '--parallel takes a whole number'],
    [['--deadline', '1.5'], '--deadline takes a whole number'],
    [['--namespace', 'Bad_NS'], '--namespace takes a namespace name'],
    [['--context', 'a', '--contexts', 'b'], 'cannot be combined'],
    [['--print-manifests', '--collect'], 'two steps'],
    [['--output', 'yaml'], '--output must be'],
  ])('refuses %j', (args, message) => {
    expect(() => fleet('fleet', ...args)).toThrow(UsageError);
    expect(() => fleet('fleet', ...args)).toThrow(message);
  });
});

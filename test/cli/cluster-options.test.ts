import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/cli/args.js';
import { optionalCanaryValue } from '../../src/cli/cluster-options.js';
import { kubeAccess } from '../../src/facts/context.js';
import { Redactor } from '../../src/redact/redactor.js';

const doctorOptions = (...argv: string[]) => {
  const c = parseCommand(['doctor', ...argv]);
  if (c.name !== 'doctor') throw new Error('not doctor');
  return c.options.cluster;
};

describe('cluster options', () => {
  it.each([
    [['--canary'], ['--canary=']],
    [
      ['--canary', '--cluster'],
      ['--canary=', '--cluster'],
    ],
    [
      ['--canary', 'prod-ns'],
      ['--canary', 'prod-ns'],
    ],
    [['--canary=prod-ns'], ['--canary=prod-ns']],
  ])('%j: --canary takes an optional namespace', (argv, expected) => {
    expect(optionalCanaryValue(argv)).toEqual(expected);
  });

  it.each([
    [[], undefined],
    [['--canary'], null],
    [['--canary', 'prod-ns'], 'prod-ns'],
  ] as [string[], string | null | undefined][])('%j -> canary %s', (argv, canary) => {
    expect(doctorOptions(...argv).canary).toBe(canary);
  });

  it('reads --kubeconfig, --context, --console and --token-file', () => {
    expect(
      doctorOptions('--kubeconfig', '/k', '--context', 'prod', '--console', 'https://c:8083', '--token-file', '/t', '--console-ca', '/ca'),
    ).toEqual({
      kubeconfig: '/k',
      context: 'prod',
      cluster: false,
      canary: undefined,
      console: 'https://c:8083',
      tokenFile: '/t',
      consoleCa: '/ca',
    });
  });

  it('has no option that takes the token itself', () => {
    expect(() => parseCommand(['doctor', '--token', 'abc'])).toThrow(/unknown option --token — did you mean `--token-file`\?/);
  });

  it.each([
    ['nothing asked', [], {}, false],
    ['--kubeconfig', ['--kubeconfig', '/k'], {}, true],
    ['--context', ['--context', 'c'], {}, true],
    ['KUBECONFIG', [], { KUBECONFIG: '/k' }, true],
    ['--cluster', ['--cluster'], {}, true],
    ['--canary', ['--canary'], {}, true],
  ] as [string, string[], NodeJS.ProcessEnv, boolean][])('cluster mode is opt-in: %s', (_name, argv, env, on) => {
    expect(kubeAccess(doctorOptions(...argv), env, 1000) !== null).toBe(on);
  });
});

describe('the console token as a literal secret', () => {
  it('is masked everywhere, even with --show-secrets', () => {
    for (const enabled of [true, false])
      expect(new Redactor([], enabled, { alwaysMask: ['tok-0123456789'] }).text('Authorization: x tok-0123456789 y')).not.toContain(
        'tok-0123456789',
      );
  });
});

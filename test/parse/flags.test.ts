import { describe, expect, it } from 'vitest';
import { lastFlag, parseFlags, shellSplit, type ArgToken } from '../../src/parse/flags.js';

const tok = (words: string[], source: ArgToken['source'] = 'command'): ArgToken[] =>
  words.map((text, i) => ({ text, line: i + 1, source }));
const flagMap = (words: string[]) => Object.fromEntries(parseFlags(tok(words)).flags.map((f) => [f.name, f.value]));

describe('parseFlags', () => {
  it.each([
    [['kube-apiserver', '--audit-policy-file=/a.yaml'], { 'audit-policy-file': '/a.yaml' }],
    [['kube-apiserver', '--audit-policy-file', '/a.yaml'], { 'audit-policy-file': '/a.yaml' }],
    [['kube-apiserver', '--audit-dynamic-configuration', '--v=2'], { 'audit-dynamic-configuration': null, v: '2' }],
    [['kube-apiserver', '--runtime-config='], { 'runtime-config': '' }],
    [['/usr/local/bin/kube-apiserver', '-v=4'], { v: '4' }],
  ])('%j', (words, expected) => {
    expect(flagMap(words)).toEqual(expected);
  });

  it('keeps the last occurrence, as pflag does', () => {
    const { flags } = parseFlags(tok(['kube-apiserver', '--audit-webhook-mode=blocking', '--audit-webhook-mode=batch']));
    expect(lastFlag(flags, 'audit-webhook-mode')?.value).toBe('batch');
    expect(lastFlag(flags, 'audit-webhook-mode')?.line).toBe(3);
  });

  it('ignores go-runner flags before the binary (kops)', () => {
    const { flags, binaryFound } = parseFlags([
      ...tok(['/go-runner']),
      ...tok(['--log-file=/var/log/kube-apiserver.log', '--also-stdout', '/usr/local/bin/kube-apiserver', '--secure-port=443'], 'args'),
    ]);
    expect(binaryFound).toBe(true);
    expect(flags.map((f) => f.name)).toEqual(['secure-port']);
  });

  it('reads the old kops /bin/sh -c single string, stopping at redirections and operators', () => {
    const { flags } = parseFlags(
      tok([
        '/bin/sh',
        '-c',
        'mkfifo /tmp/p; exec /usr/local/bin/kube-apiserver --audit-policy-file=/srv/p.yaml --audit-webhook-config-file "/srv/w h.yaml" 1>>/var/log/kube-apiserver.log 2>&1 && echo done',
      ]),
    );
    expect(flags.map((f) => [f.name, f.value, f.source])).toEqual([
      ['audit-policy-file', '/srv/p.yaml', 'shell'],
      ['audit-webhook-config-file', '/srv/w h.yaml', 'shell'],
    ]);
  });

  it('reads every --flag when no binary is named (args-only manifests)', () => {
    expect(flagMap(['--secure-port=6443', '--audit-log-path', '-'])).toEqual({ 'secure-port': '6443', 'audit-log-path': null });
  });
});

describe('shellSplit', () => {
  it('handles quotes, escapes and operators', () => {
    expect(shellSplit(`a "b c" 'd e' f\\ g;h&&i`)).toEqual(['a', 'b c', 'd e', 'f g', ';', 'h', '&&', 'i']);
  });
});

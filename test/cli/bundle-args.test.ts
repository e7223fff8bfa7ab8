import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/usage.js';
import { DEFAULT_MAX_BYTES } from '../../src/cli/bundle-args.js';
import { defaultBundleName } from '../../src/cli/bundle.js';

describe('bundle arguments', () => {
  it('has defaults for every option', () => {
    expect(parseCommand(['bundle'])).toEqual({
      name: 'bundle',
      options: {
        root: '/',
        manifest: null,
        out: null,
        since: null,
        sinceMs: null,
        timeoutMs: 5000,
        offline: false,
        maxBytes: DEFAULT_MAX_BYTES,
        includeSuffix: false,
        collectedAt: null,
        kube: { kubeconfig: null, context: null, cluster: false },
      },
    });
  });

  it('reads every option', () => {
    const cmd = parseCommand([
      'bundle',
      '--root',
      '/host',
      '--manifest',
      '/m.yaml',
      '--out',
      'b.tgz',
      '--since',
      '2h',
      '--timeout',
      '9',
      '--max-size',
      '5M',
      '--include-suffix',
      '--offline',
      '--collected-at',
      '2026-01-01T00:00:00Z',
      '--kubeconfig',
      '/k.yaml',
      '--context',
      'prod',
      '--cluster',
    ]);
    expect(cmd).toEqual({
      name: 'bundle',
      options: {
        root: '/host',
        manifest: '/m.yaml',
        out: 'b.tgz',
        since: '2h',
        sinceMs: 7_200_000,
        timeoutMs: 9000,
        offline: true,
        maxBytes: 5 * 1024 ** 2,
        includeSuffix: true,
        collectedAt: new Date('2026-01-01T00:00:00Z'),
        kube: { kubeconfig: '/k.yaml', context: 'prod', cluster: true },
      },
    });
  });

  it.each([
    [['--since', 'yesterday'], /--since takes a duration/],
    [['--max-size', 'big'], /--max-size takes a size/],
    [['--max-size', '0'], /--max-size takes a size/],
    [['--collected-at', 'noon'], /--collected-at takes an ISO 8601 time/],
    [['--root', ''], /--root needs a directory/],
    [['--kubeconfig', ''], /--kubeconfig needs a file/],
    [['--canary'], /unknown option --canary/],
    [['extra'], /unexpected argument "extra"/],
    [['--bogus'], /unknown option --bogus/],
  ])('rejects %j', (args, message) => {
    expect(() => parseCommand(['bundle', ...args])).toThrow(UsageError);
    expect(() => parseCommand(['bundle', ...args])).toThrow(message);
  });

  it('takes --from-bundle for doctor, alone', () => {
    expect(parseCommand(['doctor', '--from-bundle', 'b.tgz'])).toMatchObject({ name: 'doctor', options: { fromBundle: 'b.tgz' } });
    expect(() => parseCommand(['doctor', '--from-bundle', 'b.tgz', '--demo'])).toThrow(/cannot be combined/);
  });

  it('names the archive after the collection time in UTC', () => {
    expect(defaultBundleName(new Date('2026-11-27T08:54:44.123Z'))).toBe('prisma-audit-bundle-20261127-085444.tar.gz');
  });
});

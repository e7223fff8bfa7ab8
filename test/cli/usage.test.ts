import { describe, expect, it } from 'vitest';
import { runCli, scenarioRoot } from '../helpers/cli.js';

describe('usage errors exit 2 with a message and no stack trace', () => {
  it.each([
    [['doctor', '--bogus']],
    [['doctor', '--root', '/nonexistent/dir']],
    [['doctor', '--root']],
    [['doctor', '--output', 'xml']],
    [['doctor', '--timeout', 'soon']],
    [['doctor', '--only', 'no-such-check']],
    [['frobnicate']],
    [['explain']],
    [['explain', 'no-such-check']],
  ])('%j', async (args) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^prisma-audit: /);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(r.stdout).toBe('');
  });
});

describe('help, version, catalogue', () => {
  it('--version', async () => {
    const r = await runCli(['--version']);
    expect(r.stdout).toMatch(/^prisma-audit \d+\.\d+\.\d+\n$/);
  });

  it('doctor --help lists the options and exit codes', async () => {
    const r = await runCli(['doctor', '--help']);
    for (const opt of [
      '--root',
      '--manifest',
      '--only',
      '--skip',
      '--output',
      '--json',
      '--timeout',
      '--offline',
      '--strict',
      '--demo',
      '--no-color',
    ])
      expect(r.stdout).toContain(opt);
    expect(r.stdout).toMatch(/Exit codes/);
  });

  it('checks lists every id with what it reads', async () => {
    const r = await runCli(['checks', '--json']);
    const list = JSON.parse(r.stdout) as { id: string; reads: string }[];
    expect(list.map((c) => c.id)).toContain('audit-files-mounted');
    expect(list.every((c) => c.reads.length > 10)).toBe(true);
  });

  it('explain gives why, detection and the manual fix', async () => {
    const r = await runCli(['explain', 'audit-log-path']);
    expect(r.stdout).toMatch(/Why it matters[\s\S]*How it is detected[\s\S]*How to fix it by hand/);
  });

  it('NO_COLOR wins over FORCE_COLOR', async () => {
    const r = await runCli(['doctor', '--root', scenarioRoot('kubeadm-broken'), '--output', 'text'], {
      env: { FORCE_COLOR: '1', NO_COLOR: '1' },
    });
    expect(r.stdout).not.toMatch(/\u001b/);
    const colored = await runCli(['doctor', '--root', scenarioRoot('kubeadm-broken'), '--output', 'text'], {
      env: { FORCE_COLOR: '1', NO_COLOR: '' },
    });
    expect(colored.stdout).toMatch(/\u001b\[31m/);
  });
});

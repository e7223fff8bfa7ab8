// Every fixture node root through the real CLI process: JSON verdicts and exit codes.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli.js';

const roots = [
  ...readdirSync(path.join(REPO, 'fixtures/scenarios')).map((name) => path.join(REPO, 'fixtures/scenarios', name)),
  path.join(REPO, 'fixtures/demo'),
];

describe.each(roots)('%s', (dir) => {
  const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as {
    exitCode: number;
    distribution: string | null;
    checks: Record<string, string>;
  };

  it('reaches the expected verdicts and exit code (--json)', async () => {
    const r = await runCli(['doctor', '--root', path.join(dir, 'root'), '--json', '--offline']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.target.distribution).toBe(expected.distribution);
    expect(Object.fromEntries(report.checks.map((c: { id: string; status: string }) => [c.id, c.status]))).toEqual(expected.checks);
    expect(r.code).toBe(expected.exitCode);
  });
});

describe('output modes agree', () => {
  const root = path.join(REPO, 'fixtures/scenarios/kubeadm-broken/root');

  it('text mode: same statuses, no escape codes, the same exit code', async () => {
    const json = JSON.parse((await runCli(['doctor', '--root', root, '--json'])).stdout);
    const text = await runCli(['doctor', '--root', root, '--output', 'text']);
    expect(text.stdout).not.toMatch(/\u001b/);
    for (const c of json.checks) expect(text.stdout).toMatch(new RegExp(`^${c.status.toUpperCase()}\\s+${c.id}\\b`, 'm'));
    expect(text.code).toBe(3);
  });

  it('junit: one testcase per check, counts as in the JSON report', async () => {
    const json = JSON.parse((await runCli(['doctor', '--root', root, '--json'])).stdout);
    const r = await runCli(['doctor', '--root', root, '--output', 'junit']);
    const s = json.summary;
    expect(r.code).toBe(3);
    expect(r.stdout.match(/<testcase /g)?.length).toBe(json.checks.length);
    expect(r.stdout).toContain(
      `<testsuites name="prisma-audit" tests="${json.checks.length}" failures="${s.fail}" errors="${s.unknown}" skipped="${s.skip}"`,
    );
    expect(r.stdout.match(/<failure /g)?.length).toBe(s.fail);
  });

  it('--strict turns warnings into exit 4 when nothing fails', async () => {
    const r = await runCli(['doctor', '--root', path.join(REPO, 'fixtures/scenarios/kops-shell/root'), '--json', '--strict', '--offline']);
    expect(r.code).toBe(4);
  });

  it('--only and --skip select checks', async () => {
    const r = await runCli(['doctor', '--root', root, '--json', '--only', 'audit-webhook-mode,webhook-url', '--skip', 'webhook-url']);
    expect(JSON.parse(r.stdout).checks.map((c: { id: string }) => c.id)).toEqual(['audit-webhook-mode']);
  });

  it('--demo is labelled as a demo', async () => {
    const r = await runCli(['doctor', '--demo', '--output', 'text']);
    expect(r.stdout).toMatch(/DEMO: checking the bundled demo node/);
    expect(r.code).toBe(3);
  });

  it('--demo runs its console on loopback: the live checks judge the chain it issued at start-up', async () => {
    const r = await runCli(['doctor', '--demo', '--json']);
    const checks = Object.fromEntries(JSON.parse(r.stdout).checks.map((c: { id: string; status: string; summary: string }) => [c.id, c]));
    expect(checks['webhook-reachable']).toMatchObject({ status: 'pass', summary: expect.stringMatching(/answered HTTP 200/) });
    expect(checks['webhook-tls-chain']).toMatchObject({ status: 'fail', summary: expect.stringMatching(/signed by unknown authority/) });
  });

  it('masks the webhook suffix unless --show-secrets', async () => {
    const root2 = path.join(REPO, 'fixtures/scenarios/kubeadm-healthy/root');
    const masked = await runCli(['doctor', '--root', root2, '--json', '--verbose']);
    expect(masked.stdout).not.toContain('Rov4TLMx1UiaJuP99OyulwQVUT0=');
    const shown = await runCli(['doctor', '--root', root2, '--output', 'text', '--verbose', '--show-secrets']);
    expect(shown.stdout).toContain('Rov4TLMx1UiaJuP99OyulwQVUT0=');
  });
});

// doctor --compare through the real CLI: the same answer in text, JSON and JUnit, exit 3 on a
// regression, a bundle as the earlier report, and a refusal across nodes without --force.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runCli } from '../helpers/cli.js';
import { copyRoot, removeTempDirs, tempDir } from '../helpers/node-root.js';

afterAll(removeTempDirs);

const MANIFEST = 'etc/kubernetes/manifests/kube-apiserver.yaml';
let root: string;
let before: string;

beforeAll(async () => {
  root = await copyRoot('fixtures/scenarios/kubeadm-healthy/root');
  await fs.writeFile(path.join(root, 'etc/hostname'), 'cp1\n');
  before = path.join(await tempDir('before'), 'before.json');
  const r = await runCli(['doctor', '--root', root, '--offline', '--json']);
  expect(r.code).toBe(0);
  await fs.writeFile(before, r.stdout);
  // The upgrade: the webhook flag now names a file that is not there, the policy was edited, a log flag changed.
  const m = path.join(root, MANIFEST);
  await fs.writeFile(
    m,
    (await fs.readFile(m, 'utf8'))
      .replace('audit/audit-webhook.yaml', 'audit/webhook-gone.yaml')
      .replace('--audit-log-maxage=30', '--audit-log-maxage=7'),
  );
  const p = path.join(root, 'etc/kubernetes/audit/audit-policy.yaml');
  await fs.appendFile(p, '# edited\n');
}, 120_000);

describe.concurrent('doctor --compare', { timeout: 120_000 }, () => {
  it('JSON: regressions, then configuration changes with hashes; exit 3', async () => {
    const r = await runCli(['doctor', '--root', root, '--offline', '--json', '--compare', before]);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    const c = report.comparison!;
    expect(c.regressions.map((x) => [x.id, x.before, x.now])).toEqual([['audit-files-readable', 'pass', 'fail']]);
    expect(c.fixes).toEqual([]);
    expect(c.config.map((x) => x.name)).toEqual([
      '--audit-log-maxage',
      '--audit-webhook-config-file',
      'audit policy',
      'webhook kubeconfig',
    ]);
    expect(c.config[0]).toMatchObject({ before: '30', now: '7' });
    expect(report.fingerprint?.node.hostname).toBe('cp1');
    // Hashes only: no file text, no webhook suffix.
    expect(r.stdout).not.toContain('Rov4TLMx1UiaJuP99OyulwQVUT0=');
  });

  it('text and JUnit give the same answer', async () => {
    const json = JSON.parse((await runCli(['doctor', '--root', root, '--offline', '--json', '--compare', before])).stdout) as Report;
    const text = await runCli(['doctor', '--root', root, '--offline', '--output', 'text', '--compare', before]);
    expect(text.code).toBe(3);
    const head = text.stdout.split('\n\n')[1]!;
    expect(head).toMatch(/^Compared with .*before\.json \(taken .*\): 1 regression\(s\), 0 fixed, 4 configuration change\(s\)/);
    expect(head.split('\n')[1]).toMatch(/^REGRESSION audit-files-readable\s+pass -> fail: /);
    for (const x of json.comparison!.config) expect(head).toContain(`CONFIG     ${x.name}: `);
    const junit = await runCli(['doctor', '--root', root, '--offline', '--output', 'junit', '--compare', before]);
    expect(junit.code).toBe(3);
    expect(junit.stdout).toMatch(/<testsuite name="prisma-audit compare [^"]*" tests="\d+" failures="1"/);
    expect(junit.stdout).toContain('name="regression audit-files-readable"');
    expect(junit.stdout.match(/classname="prisma-audit.compare" name="configuration /g)?.length).toBe(json.comparison!.config.length);
  });

  it('a fix shows as fixed, and a support bundle serves as the earlier report', async () => {
    const broken = await copyRoot('fixtures/scenarios/kubeadm-flags-dropped/root');
    const bundle = path.join(await tempDir('bundle'), 'before.tar.gz');
    expect((await runCli(['bundle', '--root', broken, '--out', bundle])).code).toBe(0);
    expect(
      (await runCli(['fix', '--root', broken, '--offline', '--apply', '--yes', '--out', path.join(await tempDir('out'), 'p')])).code,
    ).toBe(0);
    const r = await runCli(['doctor', '--root', broken, '--offline', '--json', '--compare', bundle]);
    const c = (JSON.parse(r.stdout) as Report).comparison!;
    expect(c.regressions).toEqual([]);
    expect(c.fixes.map((x) => x.id)).toEqual(expect.arrayContaining(['audit-policy-flag', 'audit-webhook-flag', 'orphaned-audit-files']));
    expect(c.config.find((x) => x.name === '--audit-webhook-config-file')).toMatchObject({
      before: null,
      now: '/etc/kubernetes/audit/audit-webhook.yaml',
    });
    expect(r.code).toBe(0);
  });

  it('refuses another node unless --force, and input that is no report', async () => {
    const other = await copyRoot('fixtures/scenarios/kubeadm-healthy/root');
    await fs.writeFile(path.join(other, 'etc/hostname'), 'cp2\n');
    const refused = await runCli(['doctor', '--root', other, '--offline', '--json', '--compare', before]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('not the same target (node cp1 then, cp2 now); pass --force');
    const forced = await runCli(['doctor', '--root', other, '--offline', '--json', '--compare', before, '--force']);
    expect((JSON.parse(forced.stdout) as Report).comparison?.forced).toBe('node cp1 then, cp2 now');
    const junk = path.join(await tempDir('junk'), 'x.json');
    await fs.writeFile(junk, '{"fixes": []}');
    const bad = await runCli(['doctor', '--root', other, '--offline', '--compare', junk]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a prisma-audit doctor report');
  });
});

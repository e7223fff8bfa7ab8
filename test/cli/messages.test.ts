// What a user who mistypes gets: exit 2, the option or id named, a suggestion, never a raw errno;
// and the exit-code contract a CI job relies on.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scenarioRoot } from '../helpers/cli.js';

const healthy = scenarioRoot('kubeadm-healthy');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pa-messages-'));
const kubeconfig = path.join(tmp, 'kubeconfig');
writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\ncontexts:\n- name: prod-admin\n  context: {cluster: c, user: u}\n');

describe('usage errors say what is wrong and what was meant (exit 2)', () => {
  it.each([
    [['doctr'], /unknown command "doctr" — did you mean `doctor`\?/],
    [['doctor', '--ofline'], /unknown option --ofline — did you mean `--offline`\?/],
    [['doctor', '--only', 'audit-polcy-flag'], /did you mean `audit-policy-flag`\?/],
    [['explain', 'audit-polcy-flag'], /did you mean `audit-policy-flag`\?/],
    [['fix', '--only', 'manifest-pach'], /did you mean `manifest-patch`\?/],
    [['doctor', '--output=jsn'], /did you mean `json`\?/],
    [['doctor', '--json', '--output', 'junit'], /--json and --output junit ask for two outputs/],
    [['doctor', '--root', '/nonexistent/node'], /--root \/nonexistent\/node: does not exist/],
    [['doctor', '--root', healthy, '--manifest', '/etc/nope.yaml'], /--manifest \/etc\/nope.yaml .*does not exist/],
    [['doctor', '--root', healthy, '--kubeconfig', '/nope/kubeconfig'], /--kubeconfig \/nope\/kubeconfig: does not exist/],
    [['bundle', '--root', healthy, '--kubeconfig', '/nope/kubeconfig'], /--kubeconfig \/nope\/kubeconfig: does not exist/],
    [
      ['bundle', '--root', healthy, '--kubeconfig', kubeconfig, '--context', 'prod-admn'],
      /--context prod-admn: no such context .* did you mean `prod-admin`\?/,
    ],
    [
      ['doctor', '--root', healthy, '--kubeconfig', kubeconfig, '--context', 'prod-admn'],
      /--context prod-admn: no such context .* did you mean `prod-admin`\?/,
    ],
    [
      ['doctor', '--root', healthy, '--console', 'https://c.example', '--token-file', '/nope/token'],
      /--token-file \/nope\/token: does not exist/,
    ],
    [
      ['doctor', '--root', healthy, '--console', 'https://c.example', '--token-file', kubeconfig, '--console-ca', '/nope/ca.pem'],
      /--console-ca \/nope\/ca.pem: does not exist/,
    ],
    [['doctor', '--root', healthy, '--log-file', '/nope/apiserver.log'], /--log-file \/nope\/apiserver.log: does not exist/],
    [['doctor', '--root', healthy, '--canary'], /--canary needs a cluster/],
    [['fix', '--root', healthy, '--ca-file', '/nope/ca.pem'], /--ca-file \/nope\/ca.pem: does not exist/],
    [['completion', 'bsh'], /did you mean `bash`\?/],
  ])('%j', async (args, message) => {
    const r = await runCli(args as string[], { env: { KUBECONFIG: '' } });
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/ENOENT|EACCES|at .*\.js:\d+/);
    expect(r.code).toBe(2);
  });

  it('-o=json and --output=json are both understood; -v prints the version', async () => {
    for (const flag of ['-o=json', '--output=json']) {
      const r = await runCli(['doctor', '--root', healthy, '--offline', flag]);
      expect(JSON.parse(r.stdout).exitCode).toBe(0);
    }
    expect((await runCli(['-v'])).stdout).toMatch(/^prisma-audit \d+\.\d+\.\d+\n$/);
  });

  it.each(['doctor', 'fix', 'bundle', 'checks', 'explain', 'completion'])("%s --help shows that command's help", async (cmd) => {
    const r = await runCli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: prisma-audit ${cmd}`));
  });
});

describe('exit 5: nothing could be checked', () => {
  it.each(['json', 'junit', 'text'])('a node without an apiserver exits 5 in %s, and says so', async (mode) => {
    const r = await runCli(['doctor', '--root', scenarioRoot('no-apiserver'), '--offline', '--output', mode]);
    expect(r.code).toBe(5);
    if (mode === 'json')
      expect(JSON.parse(r.stdout)).toMatchObject({
        exitCode: 5,
        notChecked: expect.stringContaining('no kube-apiserver configuration found'),
      });
    if (mode === 'junit') expect(r.stdout).toContain('<property name="exitCode" value="5"/>');
    if (mode === 'text') expect(r.stdout).toMatch(/nothing could be checked: .*\(exit 5\)/);
  });

  it('an unparsable manifest exits 5 too', async () => {
    const root = mkdtempSync(path.join(tmp, 'root-'));
    const dir = path.join(root, 'etc/kubernetes/manifests');
    await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
    writeFileSync(path.join(dir, 'kube-apiserver.yaml'), 'apiVersion: v1\nkind: Pod\nspec: [oops\n');
    const r = await runCli(['doctor', '--root', root, '--offline', '--json']);
    expect(r.code).toBe(5);
  });

  it('a failing node ends with the verdict and the next command', async () => {
    const r = await runCli(['doctor', '--root', scenarioRoot('kubeadm-broken'), '--offline', '--output', 'text']);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('4 checks fail — `prisma-audit fix` writes corrected files (exit 3)');
  });
});

// doctor --console end to end (through the real argument parser, engine and JSON renderer): the
// webhook kubeconfig of a fixture node is compared with the loopback console's suffix.
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/cli/args.js';
import { doctor } from '../../src/cli/doctor.js';
import type { Io } from '../../src/cli/io.js';
import type { Report } from '../../src/model/report.js';
import { EMPTY_TOKEN, GOOD_TOKEN, SUFFIX, startFakeConsole, type FakeConsole } from '../helpers/prisma-console.js';

const WEBHOOK = 'etc/kubernetes/audit/audit-webhook.yaml';

async function nodeRoot(server: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'prisma-node-'));
  await cp(new URL('../../fixtures/scenarios/kubeadm-healthy/root', import.meta.url), root, { recursive: true });
  const file = join(root, WEBHOOK);
  await writeFile(file, (await readFile(file, 'utf8')).replace(/server: \S+/, `server: ${server}`));
  return root;
}

async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; report: Report; stdout: string }> {
  const command = parseCommand(['doctor', ...argv]);
  if (command.name !== 'doctor') throw new Error('not doctor');
  let stdout = '';
  const sink = { isTTY: false, write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WriteStream;
  const io: Io = { stdout: sink, stderr: sink, env };
  const code = await doctor(command.options, io);
  return { code, report: JSON.parse(stdout) as Report, stdout };
}

describe('doctor --console', () => {
  let fakeConsole: FakeConsole;
  let caFile: string;
  beforeAll(async () => {
    fakeConsole = await startFakeConsole();
    caFile = join(await mkdtemp(join(tmpdir(), 'prisma-ca-')), 'ca.pem');
    await writeFile(caFile, fakeConsole.caPem);
  });
  afterAll(() => fakeConsole.close());

  const args = (root: string) => [
    '--root',
    root,
    '--console',
    fakeConsole.url,
    '--console-ca',
    caFile,
    '--only',
    'prisma-webhook-url',
    '-o',
    'json',
  ];

  it('passes when the kubeconfig posts to <console>/api/v1/kubernetes/webhook/<suffix>', async () => {
    const root = await nodeRoot(`${fakeConsole.url}/api/v1/kubernetes/webhook/${SUFFIX}`);
    const { report, stdout } = await run(args(root), { PRISMA_TOKEN: GOOD_TOKEN });
    expect(report.checks[0]).toMatchObject({ id: 'prisma-webhook-url', status: 'pass' });
    expect(stdout).not.toContain(GOOD_TOKEN);
  });

  it('fails a kubeconfig that posts to another console, even with the same suffix', async () => {
    const root = await nodeRoot(`https://console.example.com:8083/api/v1/kubernetes/webhook/${SUFFIX}`);
    const { report } = await run(args(root), { PRISMA_TOKEN: GOOD_TOKEN });
    expect(report.checks[0]).toMatchObject({
      status: 'fail',
      summary: `/etc/kubernetes/audit/audit-webhook.yaml: the suffix matches but the console part differs from ${fakeConsole.url} (tenant segment, host or port)`,
    });
  });

  it('fails empty console settings with the steps to generate the suffix', async () => {
    const root = await nodeRoot(`${fakeConsole.url}/api/v1/kubernetes/webhook/${SUFFIX}`);
    const { report } = await run(args(root), { PRISMA_TOKEN: EMPTY_TOKEN });
    expect(report.checks[0]!.status).toBe('fail');
    expect(report.checks[0]!.summary).toContain('empty webhookUrlSuffix ("settings are empty")');
    expect(report.checks[0]!.remediation?.text).toContain('Defend > Access > Kubernetes');
  });

  it('is unknown with the reason on 401, token read from --token-file and masked', async () => {
    const root = await nodeRoot(`${fakeConsole.url}/api/v1/kubernetes/webhook/${SUFFIX}`);
    const tokenFile = join(root, 'token');
    await writeFile(tokenFile, 'expired-token-0123456789\n');
    const { report, stdout } = await run([...args(root), '--token-file', tokenFile, '--show-secrets'], {});
    expect(report.checks[0]).toMatchObject({
      status: 'unknown',
      summary: `could not look: GET ${fakeConsole.url}/api/v1/settings/kubernetes-audit was refused (401 Unauthorized)`,
    });
    expect(stdout).not.toContain('expired-token-0123456789');
  });

  it('refuses --console without a token', async () => {
    const root = await nodeRoot('https://x');
    await expect(run(args(root), {})).rejects.toThrow(
      '--console needs an API token: set PRISMA_TOKEN or pass --token-file FILE (never on the command line)',
    );
  });
});

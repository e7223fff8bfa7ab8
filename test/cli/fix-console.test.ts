// fix --console: the webhook kubeconfig gets the URL the Prisma console expects (read with the API
// token from GET /api/v1/settings/kubernetes-audit), through the real CLI, against a loopback
// console that accepts audit batches at that URL only.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { resolveKubeconfig } from '../../src/parse/kubeconfig.js';
import { REPO } from '../helpers/cli.js';
import { copyRoot, hashTree, removeTempDirs, runIn, tempDir } from '../helpers/node-root.js';
import { GOOD_TOKEN, SUFFIX, startFakeConsole, type FakeConsole } from '../helpers/prisma-console.js';

const WEBHOOK = 'etc/kubernetes/audit/audit-webhook.yaml';
const STALE = 'StaleSuffixFromLastYear0000=';

let fake: FakeConsole;
let files: string;

beforeAll(async () => {
  fake = await startFakeConsole();
  files = await tempDir('console-files');
  await fs.writeFile(path.join(files, 'ca.pem'), fake.caPem);
  await fs.writeFile(path.join(files, 'token'), `${GOOD_TOKEN}\n`, { mode: 0o600 });
  await fs.writeFile(path.join(files, 'bad-token'), 'expired\n', { mode: 0o600 });
});
afterAll(async () => {
  await fake.close();
  await removeTempDirs();
});

/** The healthy kubeadm root, posting to the console with last year's suffix. */
async function staleNode(): Promise<string> {
  const root = await copyRoot('fixtures/scenarios/kubeadm-healthy/root');
  const file = path.join(root, WEBHOOK);
  await fs.writeFile(
    file,
    (await fs.readFile(file, 'utf8')).replace(/server: \S+/, `server: ${fake.url}/api/v1/kubernetes/webhook/${STALE}`),
  );
  return root;
}

const consoleArgs = (token = 'token') => [
  '--console',
  fake.url,
  '--console-ca',
  path.join(files, 'ca.pem'),
  '--token-file',
  path.join(files, token),
  '--timeout',
  '2',
];

describe.concurrent('fix --console', { timeout: 60_000 }, () => {
  it('writes the URL the console expects, with a CA that verifies it, and exits 0: every failing check passes afterwards', async () => {
    const root = await staleNode();
    const r = await runIn(await tempDir('cwd'), ['fix', '--root', root, '--apply', '--yes', '--json', ...consoleArgs()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { fixes: { id: string; state: string; checks: { id: string }[] }[] };
    expect(result.fixes).toEqual([expect.objectContaining({ id: 'webhook-kubeconfig', state: 'applied' })]);
    expect(result.fixes[0]!.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['prisma-webhook-url', 'webhook-tls-chain']));
    // The suffix and the token are secrets: neither is printed.
    expect(r.stdout).not.toContain(SUFFIX);
    expect(r.stdout).not.toContain(GOOD_TOKEN);
    const kc = resolveKubeconfig(parse(await fs.readFile(path.join(root, WEBHOOK), 'utf8')));
    expect(kc.server).toBe(`${fake.url}/api/v1/kubernetes/webhook/${SUFFIX}`);
    const doctor = JSON.parse(
      (await runIn(REPO, ['doctor', '--root', root, '--json', '--skip', 'node-logs', ...consoleArgs()])).stdout,
    ) as Report;
    const status = (id: string) => doctor.checks.find((c) => c.id === id)!.status;
    expect(['prisma-webhook-url', 'webhook-tls-chain', 'webhook-reachable'].map(status)).toEqual(['pass', 'pass', 'pass']);
  });

  it('refuses, and changes nothing, when the console refuses the token', async () => {
    const root = await staleNode();
    const hashes = await hashTree(root);
    const r = await runIn(await tempDir('cwd'), [
      'fix',
      '--root',
      root,
      '--apply',
      '--yes',
      '--json',
      '--only',
      'webhook-kubeconfig',
      ...consoleArgs('bad-token'),
    ]);
    expect(r.code).toBe(3);
    const result = JSON.parse(r.stdout) as { fixes: { id: string; state: string; refusal: { reason: string } | null }[] };
    expect(result.fixes[0]).toMatchObject({
      state: 'refused',
      refusal: { reason: expect.stringMatching(/^--console was given, but the console could not be read: .*401 Unauthorized/) },
    });
    expect(await hashTree(root)).toEqual(hashes);
  });

  it('rejects --console with --offline as a usage error', async () => {
    const r = await runIn(REPO, ['fix', '--root', 'fixtures/demo/root', '--offline', ...consoleArgs()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--console .* cannot be combined with --offline/);
  });
});

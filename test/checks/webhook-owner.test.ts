// Another owner of the single audit webhook: named by the check, kept by fix unless --replace-webhook.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { webhookUrl } from '../../src/checks/webhook-url.js';
import { otherWebhookOwner } from '../../src/parse/webhook-owner.js';
import { evaluate, ok, parsedFile } from '../helpers/facts.js';
import { copyRoot, removeTempDirs, runIn, tempDir } from '../helpers/node-root.js';

afterAll(removeTempDirs);

const PRISMA = 'https://console.example.com:8083/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=';
const kubeconfig = (servers: string[], current = 0) =>
  `apiVersion: v1\nkind: Config\nclusters:\n${servers.map((s, i) => `- name: c${i}\n  cluster: {server: "${s}"}\n`).join('')}contexts:\n${servers.map((_s, i) => `- name: x${i}\n  context: {cluster: c${i}}\n`).join('')}current-context: x${current}\n`;

describe('otherWebhookOwner', () => {
  it.each([
    ['http://falco.falco:8765/k8s-audit', 'Falco'],
    ['https://10.0.0.5:8765/k8s_audit', 'Falco'],
    ['https://sysdig-agent.example:7765/k8s_audit', 'Sysdig'],
    ['https://sysdig-agent.example:7765/audit', 'Sysdig'],
    ['https://intake.datadoghq.com/audit', 'Datadog'],
    ['https://siem.example.org/ingest', 'another receiver'],
  ])('%s -> %s', (server, name) => {
    expect(otherWebhookOwner(server)?.name).toBe(name);
  });

  it('Prisma URLs and no URL have no other owner', () => {
    expect(otherWebhookOwner(PRISMA)).toBeNull();
    expect(otherWebhookOwner(null)).toBeNull();
  });
});

describe('webhook-url with another receiver', () => {
  it('says configuring Prisma replaces it, and names only the current context of a multi-cluster kubeconfig', () => {
    const f = evaluate(webhookUrl, { webhookConfig: ok(parsedFile(kubeconfig([PRISMA, 'http://falco.falco:8765/k8s-audit'], 1))) });
    expect(f.status).toBe('fail');
    expect(f.summary).toContain(
      "the apiserver's single audit webhook sends events to Falco (http://falco.falco:8765/k8s-audit), not Prisma Cloud; configuring Prisma replaces it",
    );
    expect(f.remediation?.text).toContain('--replace-webhook');
    expect(f.evidence?.map((e) => e.message)).toContainEqual(
      '2 clusters in the file: kube-apiserver uses only current-context "x1" -> cluster "c1"; the others receive nothing',
    );
    // The same file with Prisma as the current context passes: the Falco entry is never used.
    expect(
      evaluate(webhookUrl, { webhookConfig: ok(parsedFile(kubeconfig([PRISMA, 'http://falco.falco:8765/k8s-audit'], 0))) }).status,
    ).toBe('pass');
  });
});

describe('fix and another receiver', { timeout: 120_000 }, () => {
  it('refuses to overwrite without --replace-webhook, replaces with it', async () => {
    const root = await copyRoot('fixtures/scenarios/kubeadm-healthy/root');
    const file = path.join(root, 'etc/kubernetes/audit/audit-webhook.yaml');
    await fs.writeFile(file, kubeconfig(['https://falco.example:8765/k8s-audit']));
    const refused = await runIn(await tempDir('cwd'), [
      'fix',
      '--root',
      root,
      '--offline',
      '--apply',
      '--yes',
      '--json',
      '--webhook-url',
      PRISMA,
    ]);
    const json = JSON.parse(refused.stdout) as { fixes: { id: string; refusal: { reason: string } | null }[] };
    expect(json.fixes.find((f) => f.id === 'webhook-kubeconfig')?.refusal?.reason).toContain(
      'to Falco (https://falco.example:8765/k8s-audit); writing Prisma',
    );
    expect(refused.code).toBe(3);
    expect(await fs.readFile(file, 'utf8')).toContain('falco.example');
    const replaced = await runIn(await tempDir('cwd'), [
      'fix',
      '--root',
      root,
      '--offline',
      '--apply',
      '--yes',
      '--webhook-url',
      PRISMA,
      '--replace-webhook',
    ]);
    expect(replaced.code).toBe(0);
    expect(await fs.readFile(file, 'utf8')).toContain('console.example.com:8083/api/v1/kubernetes/webhook/');
  });
});

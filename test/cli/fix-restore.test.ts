// End to end: a kubeadm node whose audit flags an upgrade dropped (files still in
// /etc/kubernetes/audit) is repaired by the real CLI without --webhook-url.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { CLI, REPO } from '../helpers/cli.js';
import { copyRoot, removeTempDirs, runIn, tempDir } from '../helpers/node-root.js';

afterAll(removeTempDirs);

const FIXTURE = 'fixtures/scenarios/kubeadm-flags-dropped/root';
const OTHER_WEBHOOK = '/etc/kubernetes/audit-webhook-2025.yaml';

async function doctor(root: string): Promise<Report> {
  return JSON.parse((await runIn(REPO, ['doctor', '--root', root, '--offline', '--json', '--skip', 'node-logs'])).stdout) as Report;
}

/** A second, different webhook kubeconfig left by an older install: two candidates. */
async function withSecondWebhook(): Promise<string> {
  const root = await copyRoot(FIXTURE);
  const text = await fs.readFile(path.join(root, 'etc/kubernetes/audit/audit-webhook.yaml'), 'utf8');
  await fs.writeFile(path.join(root, OTHER_WEBHOOK), text.replace('127.0.0.1:18084', 'old-console.example:8083'));
  return root;
}

describe.concurrent('fix restores dropped audit flags', { timeout: 120_000 }, () => {
  it('fix --apply with no URL argument points the flags back at the files, mounts them and writes the durable form', async () => {
    const root = await copyRoot(FIXTURE);
    const out = path.join(await tempDir('out'), 'plan');
    const r = await runIn(await tempDir('cwd'), ['fix', '--root', root, '--offline', '--apply', '--yes', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('restored --audit-webhook-config-file=/etc/kubernetes/audit/audit-webhook.yaml');
    expect(r.code).toBe(0);
    const after = await doctor(root);
    expect(after.checks.filter((c) => c.status === 'fail' || c.status === 'warn')).toEqual([]);
    const snippet = await fs.readFile(path.join(out, 'kubeadm-clusterconfiguration-snippet.yaml'), 'utf8');
    expect(snippet).toContain('audit-webhook-config-file: /etc/kubernetes/audit/audit-webhook.yaml');
    expect(snippet).toMatch(/extraVolumes:\n {2}- name: audit\n {4}hostPath: \/etc\/kubernetes\/audit/);
    // The restored files are the ones that were left, byte for byte.
    const webhook = await fs.readFile(path.join(root, 'etc/kubernetes/audit/audit-webhook.yaml'), 'utf8');
    expect(webhook).toBe(await fs.readFile(path.join(REPO, FIXTURE, 'etc/kubernetes/audit/audit-webhook.yaml'), 'utf8'));
  });

  it('several candidates without a terminal: lists them, changes nothing, exits 3', async () => {
    const root = await withSecondWebhook();
    const before = await fs.readFile(path.join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'), 'utf8');
    const d = await doctor(root);
    expect(d.checks.find((c) => c.id === 'orphaned-audit-files')?.remediation?.text).toMatch(/2 webhook kubeconfigs were found/);
    const r = await runIn(await tempDir('cwd'), ['fix', '--root', root, '--offline', '--apply', '--yes', '--json']);
    const json = JSON.parse(r.stdout) as { fixes: { id: string; refusal: { reason: string; manualSteps: string[] } | null }[] };
    const refusal = json.fixes.find((f) => f.id === 'manifest-patch')?.refusal;
    expect(refusal?.reason).toContain(OTHER_WEBHOOK);
    expect(refusal?.reason).toContain('/etc/kubernetes/audit/audit-webhook.yaml');
    expect(refusal?.manualSteps.join(' ')).toContain('--use FILE');
    expect(r.code).toBe(3);
    expect(await fs.readFile(path.join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'), 'utf8')).toBe(before);
  });

  it('--use FILE picks one; a file that is no audit file is a usage error', async () => {
    const root = await withSecondWebhook();
    const r = await runIn(await tempDir('cwd'), ['fix', '--root', root, '--offline', '--apply', '--yes', '--use', OTHER_WEBHOOK]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `restored --audit-webhook-config-file=/etc/kubernetes/audit/audit-webhook-2025.yaml (from ${OTHER_WEBHOOK})`,
    );
    const after = await doctor(root);
    expect(after.checks.find((c) => c.id === 'webhook-url')?.summary).toContain('old-console.example');
    const bad = await runIn(await tempDir('cwd'), ['fix', '--root', root, '--offline', '--use', '/etc/kubernetes/manifests/etcd.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--use /etc/kubernetes/manifests/etcd.yaml: not a readable audit policy');
  });

  it('on a terminal it lists the candidates and asks', async () => {
    const root = await withSecondWebhook();
    // script(1) gives the CLI a real pty; the answer "2" picks the second candidate.
    const cmd = `${process.execPath} ${CLI} fix --root ${root} --offline --out ${path.join(await tempDir('out'), 'p')}`;
    const r = await new Promise<string>((resolve) =>
      execFile('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, NO_COLOR: '1' } }, (_e, stdout) =>
        resolve(stdout),
      ).stdin!.end('2\n'),
    );
    expect(r).toMatch(/--audit-webhook-config-file is gone, and 2 webhook kubeconfigs could be restored behind it:/);
    expect(r).toMatch(/1\) \/etc\/kubernetes\/audit\/audit-webhook.yaml/);
    expect(r).toContain(`2) ${OTHER_WEBHOOK}`);
    expect(r).toContain(`(from ${OTHER_WEBHOOK})`);
  });
});

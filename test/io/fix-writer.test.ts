import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/fixes/types.js';
import { TargetChanged, applyArtifacts, readCurrent, readsFrom, rollbackCommand, type CurrentFile } from '../../src/fixes/apply.js';
import { hashTree, removeTempDirs, tempDir } from '../helpers/node-root.js';

afterAll(removeTempDirs);

const MANIFEST = '/etc/kubernetes/manifests/kube-apiserver.yaml';
const BACKUPS = '/var/backups/prisma-audit/20260101-000000';

async function nodeRoot(): Promise<string> {
  const root = await tempDir('writer');
  await fs.mkdir(path.join(root, 'etc/kubernetes/manifests'), { recursive: true });
  await fs.writeFile(path.join(root, MANIFEST), 'old manifest\n', { mode: 0o640 });
  await fs.writeFile(path.join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml.bak'), 'stray\n');
  return root;
}

const ARTIFACTS: Artifact[] = [
  { kind: 'write', fix: 'audit-policy', hostPath: '/etc/kubernetes/audit/audit-policy.yaml', contents: 'policy\n', description: 'new', mode: 0o600 },
  { kind: 'move', fix: 'manifests-dir-cleanup', from: '/etc/kubernetes/manifests/kube-apiserver.yaml.bak', hostPath: `${BACKUPS}/etc/kubernetes/manifests/kube-apiserver.yaml.bak`, description: 'stray' },
  { kind: 'write', fix: 'manifest-patch', hostPath: MANIFEST, contents: 'new manifest\n', description: 'patched' },
];

async function readAll(root: string): Promise<Map<string, CurrentFile>> {
  return new Map(await Promise.all(ARTIFACTS.map(async (a) => [readsFrom(a), await readCurrent(root, readsFrom(a))] as const)));
}

describe('applyArtifacts', () => {
  it('writes, moves and backs up outside the manifests directory, keeping the mode, and the rollback restores it', async () => {
    const root = await nodeRoot();
    const original = await hashTree(root);
    const applied = await applyArtifacts(root, ARTIFACTS, await readAll(root), BACKUPS);
    expect(await fs.readFile(path.join(root, MANIFEST), 'utf8')).toBe('new manifest\n');
    expect((await fs.stat(path.join(root, MANIFEST))).mode & 0o777).toBe(0o640);
    expect((await fs.stat(path.join(root, 'etc/kubernetes/audit/audit-policy.yaml'))).mode & 0o777).toBe(0o600);
    expect(await fs.readdir(path.join(root, 'etc/kubernetes/manifests'))).toEqual(['kube-apiserver.yaml']);
    expect(await fs.readFile(path.join(root, BACKUPS, MANIFEST), 'utf8')).toBe('old manifest\n');
    expect(applied).toMatchObject({ written: [MANIFEST], created: ['/etc/kubernetes/audit/audit-policy.yaml'] });
    const { execSync } = await import('node:child_process');
    execSync(rollbackCommand(root, applied));
    const restored = await hashTree(root);
    for (const [file, hash] of Object.entries(original)) expect(restored[file], file).toBe(hash);
    expect(restored['etc/kubernetes/audit/audit-policy.yaml']).toBeUndefined();
  });

  it('refuses everything when a target changed after it was read', async () => {
    const root = await nodeRoot();
    const read = await readAll(root);
    await fs.appendFile(path.join(root, MANIFEST), '# edited meanwhile\n');
    const hashes = await hashTree(root);
    await expect(applyArtifacts(root, ARTIFACTS, read, BACKUPS)).rejects.toThrow(TargetChanged);
    expect(await hashTree(root)).toEqual(hashes);
  });
});

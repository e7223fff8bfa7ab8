import { describe, expect, it } from 'vitest';
import { manifestsDirCleanup } from '../../src/fixes/generators/manifests-dir-cleanup.js';
import { apiserverFact, fixOptions, pod } from '../helpers/fix-facts.js';

describe('manifests-dir-cleanup', () => {
  it('moves backups and audit files to the timestamped backup folder, mirroring their path', () => {
    const entries = ['kube-apiserver.yaml', 'etcd.yaml', 'kube-apiserver.yaml.bak', 'audit-policy.yaml', '.hidden.bak'].map((name) => ({
      name,
      kind: 'file' as const,
      size: 1,
    }));
    const result = manifestsDirCleanup(
      { apiserver: apiserverFact(pod([])), manifestsDir: { ok: true, value: { dir: '/etc/kubernetes/manifests', entries } } },
      fixOptions({ now: new Date(2026, 0, 2, 3, 4, 5) }),
    );
    expect(result).toEqual([
      expect.objectContaining({
        kind: 'move',
        from: '/etc/kubernetes/manifests/kube-apiserver.yaml.bak',
        hostPath: '/var/backups/prisma-audit/20260102-030405/etc/kubernetes/manifests/kube-apiserver.yaml.bak',
      }),
      expect.objectContaining({
        kind: 'move',
        from: '/etc/kubernetes/manifests/audit-policy.yaml',
        hostPath: '/var/backups/prisma-audit/20260102-030405/etc/kubernetes/manifests/audit-policy.yaml',
      }),
    ]);
  });
});

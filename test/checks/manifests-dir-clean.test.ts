// The static-pod directory as the kubelet reads it, judged from the listing the collector records.
import { describe, expect, it } from 'vitest';
import { manifestsDirClean } from '../../src/checks/manifests-dir-clean.js';
import type { ManifestsDirEntry } from '../../src/model/node.js';
import { apiserver, evaluate, ok } from '../helpers/facts.js';

const DIR = '/etc/kubernetes/manifests';
const own: ManifestsDirEntry = {
  name: 'kube-apiserver.yaml',
  kind: 'file',
  size: 100,
  pod: { key: 'kube-system/kube-apiserver', parseError: null, apiserverPort: '6443' },
  identical: true,
};
const junk = (i: number): ManifestsDirEntry => ({
  name: `junk-${String(i).padStart(6, '0')}.yaml`,
  kind: 'file',
  size: 0,
  pod: { key: null, parseError: 'empty', apiserverPort: null },
});

describe('manifests-dir-clean', () => {
  it('fails a flooded directory, says how much was read, and keeps the report short', () => {
    const read = Array.from({ length: 1000 }, (_, i) => junk(i));
    const unread = Array.from({ length: 99_000 }, (_, i): ManifestsDirEntry => ({ ...junk(1000 + i), pod: undefined }));
    const f = evaluate(manifestsDirClean, {
      apiserver: ok(apiserver([])),
      manifestsDir: ok({ dir: DIR, entries: [own, ...read, ...unread], unread: 99_000 }),
    });
    expect(f.status).toBe('fail');
    expect(f.summary).toMatch(/^\/etc\/kubernetes\/manifests holds 100001 files: .* only the first 1001 were read here/);
    // 50 findings and one count, never one line per file.
    expect(f.evidence!.length).toBeLessThan(60);
    expect(f.evidence!.at(-1)!.message).toBe('951 more findings like these in /etc/kubernetes/manifests');
    expect(f.remediation!.commands!.at(-1)).toBe('# and 950 more files of /etc/kubernetes/manifests like these');
  });

  it('passes a directory that holds the apiserver alone', () => {
    const f = evaluate(manifestsDirClean, { apiserver: ok(apiserver([])), manifestsDir: ok({ dir: DIR, entries: [own] }) });
    expect(f.status).toBe('pass');
  });
});

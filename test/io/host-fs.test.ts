// Reading a node under --root: symlinks, loops, huge files, permissions (real files, real processes).
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHostText, resolveUnderRoot, statHost } from '../../src/io/host-fs.js';
import { CLI, runCli, scenarioRoot } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'pa-hostfs-'));
// The permission test runs the CLI as nobody, who must be able to reach the root itself.
chmodSync(tmp, 0o755);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('resolveUnderRoot', () => {
  it('re-roots absolute symlink targets inside --root', async () => {
    const root = path.join(tmp, 'links');
    mkdirSync(path.join(root, 'etc/real'), { recursive: true });
    writeFileSync(path.join(root, 'etc/real/policy.yaml'), 'x');
    symlinkSync('/etc/real', path.join(root, 'etc/audit'));
    expect(await resolveUnderRoot(root, '/etc/audit/policy.yaml')).toBe(path.join(root, 'etc/real/policy.yaml'));
    const st = await statHost(root, '/etc/audit/policy.yaml');
    expect(st).toMatchObject({ kind: 'file', size: 1, readable: true, resolved: '/etc/real/policy.yaml' });
  });

  it('does not escape the root with ..', async () => {
    const root = path.join(tmp, 'dots');
    mkdirSync(root, { recursive: true });
    symlinkSync('../../../../etc/passwd', path.join(root, 'escape'));
    expect(await resolveUnderRoot(root, '/escape')).toBe(path.join(root, 'etc/passwd'));
  });

  it('reports a symlink loop instead of hanging', async () => {
    const root = path.join(tmp, 'loop');
    mkdirSync(root, { recursive: true });
    symlinkSync('/b', path.join(root, 'a'));
    symlinkSync('/a', path.join(root, 'b'));
    const st = await statHost(root, '/a/file');
    expect(st.kind).toBe('missing');
    expect(st.error?.code).toBe('ELOOP');
  });
});

describe('readHostText', () => {
  it('refuses a file over the limit without reading it whole', async () => {
    const root = path.join(tmp, 'big');
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, 'huge.yaml'), Buffer.alloc(2 * 1024 * 1024, 'a'));
    await expect(readHostText(root, '/huge.yaml', 1024 * 1024)).rejects.toMatchObject({ code: 'EFBIG' });
  });
});

/** Can an unprivileged user reach this file (every ancestor searchable by others)? */
function othersCanReach(file: string): boolean {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === path.dirname(dir)) return true;
  }
}
const canDropPrivileges = process.getuid?.() === 0 && othersCanReach(CLI);

describe('permission denied', () => {
  it.skipIf(!canDropPrivileges)('is unknown with "run as root", never fail, for a user who cannot read the manifest', async () => {
    const root = path.join(tmp, 'perm');
    cpSync(scenarioRoot('kubeadm-healthy'), root, { recursive: true });
    chmodSync(root, 0o755);
    chmodSync(path.join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'), 0o600);
    const r = await runCli(['doctor', '--root', root, '--json'], { uid: 65534, gid: 65534, cwd: os.tmpdir() });
    const report = JSON.parse(r.stdout);
    const manifest = report.checks.find((c: { id: string }) => c.id === 'apiserver-manifest');
    expect(manifest.status).toBe('unknown');
    expect(manifest.summary).toMatch(/permission denied/);
    expect(manifest.remediation.text).toMatch(/root/);
    expect(report.summary.fail).toBe(0);
    // Nothing could be checked (the manifest is unreadable): exit 5, never "fine".
    expect(r.code).toBe(5);
  });
});

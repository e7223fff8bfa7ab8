// The container-side walk on real node roots (files and links made in a temp dir): links read as the
// container reads them, mounts over mounts, subPaths, and the bad inputs that must end in a verdict.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInContainer } from '../../src/kube/container-path.js';
import { hostSeam } from '../../src/io/host-fs.js';
import type { Volume, VolumeMount } from '../../src/model/node.js';

let root = '';
const mount = (name: string, mountPath: string, extra: Partial<VolumeMount> = {}): VolumeMount => ({
  name,
  mountPath,
  readOnly: true,
  subPath: null,
  line: null,
  ...extra,
});
const hostVolume = (name: string, hostPath: string, hostPathType = 'Directory'): Volume => ({
  name,
  hostPath,
  hostPathType,
  otherKind: null,
  line: null,
});

async function put(rel: string, what: string | { link: string }): Promise<void> {
  const at = path.join(root, rel);
  await mkdir(path.dirname(at), { recursive: true });
  if (typeof what === 'string') await writeFile(at, what);
  else await symlink(what.link, at);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'prisma-audit-container-path-'));
  await put('etc/kubernetes/audit/policy.yaml', 'rules: []\n');
  await put('etc/kubernetes/audit/rel.yaml', { link: 'versions/v2.yaml' });
  await put('etc/kubernetes/audit/versions/v2.yaml', 'v2\n');
  await put('etc/kubernetes/audit/abs-out.yaml', { link: '/etc/kubernetes/policies/v2.yaml' });
  await put('etc/kubernetes/policies/v2.yaml', 'v2\n');
  await put('etc/kubernetes/audit/loop-a', { link: 'loop-b' });
  await put('etc/kubernetes/audit/loop-b', { link: 'loop-a' });
  for (let i = 0; i < 100; i++) await put(`etc/kubernetes/audit/chain/${i}`, { link: String(i + 1) });
  await put('etc/kubernetes/audit/chain/100', 'end\n');
  await put('srv/store/webhook.yaml', 'kind: Config\n');
  await put('srv/store/host-link.yaml', { link: '/srv/store/webhook.yaml' });
  await put('srv/inner/webhook.yaml', 'inner\n');
  await put('etc/kubernetes/outside/secret', 'x\n');
  await put('etc/kubernetes/audit/escape', { link: '../outside' });
});
afterAll(() => rm(root, { recursive: true, force: true }));

const audit = { mounts: [mount('audit', '/etc/kubernetes/audit')], volumes: [hostVolume('audit', '/etc/kubernetes/audit')] };
const walk = (p: string, m = audit.mounts, v = audit.volumes) => resolveInContainer(p, m, v, hostSeam(root));

describe('resolveInContainer', () => {
  it('maps a plain file through its mount', async () => {
    const r = await walk('/etc/kubernetes/audit/policy.yaml');
    expect(r).toMatchObject({ kind: 'file', hostPath: '/etc/kubernetes/audit/policy.yaml', chain: [] });
    expect(r.mapping?.mountName).toBe('audit');
  });

  it('follows a relative link from the container directory', async () => {
    const r = await walk('/etc/kubernetes/audit/rel.yaml');
    expect(r.kind).toBe('file');
    expect(r.resolvedPath).toBe('/etc/kubernetes/audit/versions/v2.yaml');
    expect(r.chain[0]).toContain('/etc/kubernetes/audit/rel.yaml -> versions/v2.yaml');
  });

  it('reads an absolute link as a container path: a host file outside every mount is not there', async () => {
    const r = await walk('/etc/kubernetes/audit/abs-out.yaml');
    expect(r.kind).toBe('unmounted');
    expect(r.brokenAt).toBe('/etc/kubernetes/policies');
    expect(r.problem).toContain('the node has /etc/kubernetes/policies');
    expect(r.first?.mountName).toBe('audit');
  });

  it('a relative link that climbs out of the mount lands outside it too', async () => {
    const r = await walk('/etc/kubernetes/audit/escape/secret');
    expect(r.kind).toBe('unmounted');
    expect(r.brokenAt).toBe('/etc/kubernetes/outside');
  });

  it('a host directory mounted elsewhere: a link naming the host path breaks, the container path works', async () => {
    const m = [mount('store', '/etc/kubernetes/audit')];
    const v = [hostVolume('store', '/srv/store')];
    expect((await walk('/etc/kubernetes/audit/host-link.yaml', m, v)).kind).toBe('unmounted');
    expect(await walk('/etc/kubernetes/audit/webhook.yaml', m, v)).toMatchObject({ kind: 'file', hostPath: '/srv/store/webhook.yaml' });
  });

  it('a link loop and a 100-deep chain end in a loop verdict at the kernel limit', async () => {
    for (const p of ['/etc/kubernetes/audit/loop-a', '/etc/kubernetes/audit/chain/0']) {
      const r = await walk(p);
      expect(r.kind).toBe('loop');
      expect(r.problem).toContain('too many levels of symbolic links');
      expect(r.chain.length).toBe(40);
    }
    expect((await walk('/etc/kubernetes/audit/chain/70')).kind).toBe('file');
  });

  it('a mount over a mount: the deeper one shows its own volume', async () => {
    const m = [mount('store', '/etc/kubernetes/audit'), mount('inner', '/etc/kubernetes/audit/versions')];
    const v = [hostVolume('store', '/etc/kubernetes/audit'), hostVolume('inner', '/srv/inner')];
    expect(await walk('/etc/kubernetes/audit/versions/webhook.yaml', m, v)).toMatchObject({
      kind: 'file',
      hostPath: '/srv/inner/webhook.yaml',
    });
    // rel.yaml -> versions/v2.yaml now lands in the inner mount, which has no v2.yaml.
    expect(await walk('/etc/kubernetes/audit/rel.yaml', m, v)).toMatchObject({ kind: 'missing', hostPath: '/srv/inner/v2.yaml' });
  });

  it('honours subPath, and refuses one that leaves its volume', async () => {
    const ok = await walk('/etc/audit/policy.yaml', [mount('k', '/etc/audit', { subPath: 'audit' })], [hostVolume('k', '/etc/kubernetes')]);
    expect(ok).toMatchObject({ kind: 'file', hostPath: '/etc/kubernetes/audit/policy.yaml' });
    const dots = await walk(
      '/etc/audit/policy.yaml',
      [mount('k', '/etc/audit', { subPath: '../srv' })],
      [hostVolume('k', '/etc/kubernetes')],
    );
    expect(dots.kind).toBe('escape');
    const viaLink = await walk(
      '/etc/audit/secret',
      [mount('k', '/etc/audit', { subPath: 'audit/escape' })],
      [hostVolume('k', '/etc/kubernetes')],
    );
    expect(viaLink.kind).toBe('file'); // audit/escape -> ../outside stays inside /etc/kubernetes
    const out = await walk(
      '/etc/audit/webhook.yaml',
      [mount('k', '/etc/audit', { subPath: 'outside' })],
      [hostVolume('k', '/etc/kubernetes/audit')],
    );
    expect(out.kind).toBe('missing'); // subPath "outside" of /etc/kubernetes/audit does not exist: created empty
  });

  it('says which mount is not a hostPath or names no volume', async () => {
    expect((await walk('/etc/kubernetes/audit/policy.yaml', audit.mounts, [])).kind).toBe('no-volume');
    const cm: Volume = { name: 'audit', hostPath: null, hostPathType: '', otherKind: 'configMap', line: null };
    expect((await walk('/etc/kubernetes/audit/policy.yaml', audit.mounts, [cm])).kind).toBe('not-hostpath');
  });
});

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/fixes/types.js';
import {
  ApplyFailed,
  REAL_OPS,
  TargetChanged,
  applyArtifacts,
  readCurrent,
  readsFrom,
  rollbackCommands,
  type CurrentFile,
  type WriterOps,
} from '../../src/fixes/apply.js';
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
  {
    kind: 'write',
    fix: 'audit-policy',
    hostPath: '/etc/kubernetes/audit/audit-policy.yaml',
    contents: 'policy\n',
    description: 'new',
    mode: 0o600,
  },
  {
    kind: 'move',
    fix: 'manifests-dir-cleanup',
    from: '/etc/kubernetes/manifests/kube-apiserver.yaml.bak',
    hostPath: `${BACKUPS}/etc/kubernetes/manifests/kube-apiserver.yaml.bak`,
    description: 'stray',
  },
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
    const commands = rollbackCommands(root, applied);
    // One command per file, each naming only that file: never a whole directory copied onto the root.
    expect(commands).toHaveLength(3);
    for (const c of commands) expect(c).not.toMatch(/\/\.'? |cp -a/);
    execSync(commands.join('\n'));
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

/** The node as it is, without the backups folder (a record apply may leave). */
async function nodeState(root: string): Promise<Record<string, string>> {
  const all = await hashTree(root);
  return Object.fromEntries(Object.entries(all).filter(([f]) => !f.startsWith('var/backups/')));
}

/** The writer seam with a fault at the nth call of one operation. */
function faulty(op: keyof WriterOps, nth: number, fault: () => Error | void): WriterOps {
  let calls = 0;
  const wrap =
    <A extends unknown[]>(real: (...a: A) => Promise<void>) =>
    async (...a: A) => {
      if (++calls === nth) {
        const err = fault();
        if (err) throw err;
      }
      return real(...a);
    };
  return { ...REAL_OPS, [op]: wrap(REAL_OPS[op] as (...a: unknown[]) => Promise<void>) };
}

const errno = (code: string) => () => Object.assign(new Error(`${code}: injected`), { code });

describe('applyArtifacts as a transaction (fault injection)', () => {
  it.each([
    ['a read-only target (EROFS on the manifest write)', 'writeNew' as const, 2, errno('EROFS'), 'EROFS'],
    ['a full file system (ENOSPC on the last write)', 'writeNew' as const, 2, errno('ENOSPC'), 'ENOSPC'],
    ['a rename refused mid-way', 'rename' as const, 2, errno('EIO'), 'EIO'],
  ])('%s: the node ends byte-identical to before, and the error says so', async (_name, op, nth, fault, code) => {
    const root = await nodeRoot();
    const before = await nodeState(root);
    const read = await readAll(root);
    const err = await applyArtifacts(root, ARTIFACTS, read, BACKUPS, { ops: faulty(op, nth + 1, fault) }).catch((e) => e);
    expect(err).toBeInstanceOf(ApplyFailed);
    expect(err).toMatchObject({ code, rolledBack: true });
    expect(err.message).toMatch(/restored; the node is as it was/);
    expect(await nodeState(root)).toEqual(before);
    // No temporary file is left anywhere, least of all in the static-pod directory.
    expect(Object.keys(await hashTree(root)).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('Ctrl-C between two writes undoes the first: the node ends as before', async () => {
    const root = await nodeRoot();
    const before = await nodeState(root);
    const interrupt = new AbortController();
    // The first node write (the policy) completes, then the signal arrives.
    const ops = faulty('rename', 1, () => void interrupt.abort());
    const err = await applyArtifacts(root, ARTIFACTS, await readAll(root), BACKUPS, { ops, signal: interrupt.signal }).catch((e) => e);
    expect(err).toMatchObject({ code: 'ABORT_ERR', rolledBack: true });
    expect(await nodeState(root)).toEqual(before);
  });

  it('never creates its temporary file in the static-pod directory', async () => {
    const root = await nodeRoot();
    const seen: string[] = [];
    const ops: WriterOps = { ...REAL_OPS, writeNew: (file, ...rest) => (seen.push(file), REAL_OPS.writeNew(file, ...rest)) };
    await applyArtifacts(root, ARTIFACTS, await readAll(root), BACKUPS, { ops });
    expect(seen.filter((f) => path.dirname(f) === path.join(root, 'etc/kubernetes/manifests'))).toEqual([]);
    expect(await fs.readFile(path.join(root, MANIFEST), 'utf8')).toBe('new manifest\n');
  });

  it('keeps backups inside the root when /var/backups is a link to an absolute path', async () => {
    const root = await nodeRoot();
    const outside = await tempDir('outside');
    await fs.mkdir(path.join(root, 'var'), { recursive: true });
    // On the node, /var/backups -> <outside>: resolved inside the root, never on this machine.
    await fs.symlink(outside, path.join(root, 'var/backups'));
    await applyArtifacts(root, ARTIFACTS, await readAll(root), BACKUPS);
    expect(await fs.readdir(outside)).toEqual([]);
    expect(await fs.readFile(path.join(root, outside, BACKUPS.replace('/var/backups', ''), MANIFEST), 'utf8')).toBe('old manifest\n');
  });
});

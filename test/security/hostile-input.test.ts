// Hostile node inputs: FIFOs, devices and sockets where files should be, links leading out of the
// root, YAML bombs and deep nesting, 100k files in the static-pod directory. For each: doctor and
// bundle finish within a time bound, exit 2 or 3 (bundle: 0, it reports what it skipped), never 1,
// and nothing outside the root is read into the output or touched.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decompressed } from '../helpers/archive.js';
import { REPO, runCli } from '../helpers/cli.js';
import { hashOutside } from '../helpers/surroundings.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MANIFEST = 'etc/kubernetes/manifests/kube-apiserver.yaml';
const POLICY = 'etc/kubernetes/audit/audit-policy.yaml';
const WEBHOOK = 'etc/kubernetes/audit/audit-webhook.yaml';
const POD_LOG = 'var/log/pods/kube-system_kube-apiserver-cp1_0a9b8c7d/kube-apiserver/0.log';
/** Generous for a loaded 2-core machine (doctor and bundle run at once); a hang is forever. */
const BOUND_MS = 90_000;

/** A secret outside every root: it must never appear in any output. */
const OUTSIDE = path.join(tmp, 'outside');
const CANARY = `canary-${process.pid}-outside-the-root`;
mkdirSync(OUTSIDE);
writeFileSync(path.join(OUTSIDE, 'shadow'), `root:${CANARY}:19000:0:99999:7:::\n`);

const replaceWith = (file: string, make: (p: string) => void) => (root: string) => {
  rmSync(path.join(root, file), { force: true });
  make(path.join(root, file));
};
const fifo = (p: string) => execFileSync('mkfifo', [p]);

/** A hostile configuration file fails its check (3), is a usage error (2), or, when it is the
 * apiserver manifest itself, leaves nothing checkable (5); a hostile log on an otherwise healthy node
 * is reported as unread (node-logs unknown), so the verdict stays 0. Never 1. */
const CONFIG = [2, 3, 5];
const LOG_ONLY = [0];
const CASES: [string, (root: string) => void, number[]][] = [
  ['a FIFO as the audit policy', replaceWith(POLICY, fifo), CONFIG],
  ['a FIFO as the apiserver manifest', replaceWith(MANIFEST, fifo), CONFIG],
  ['a FIFO as a pod log', replaceWith(POD_LOG, fifo), LOG_ONLY],
  ['a character device as the webhook kubeconfig', replaceWith(WEBHOOK, (p) => execFileSync('mknod', [p, 'c', '1', '5'])), CONFIG],
  ['a pod log linked to a host file by absolute path', replaceWith(POD_LOG, (p) => symlinkSync(path.join(OUTSIDE, 'shadow'), p)), LOG_ONLY],
  [
    'a pod log linked out of the root by ../',
    replaceWith(POD_LOG, (p) => symlinkSync(`${'../'.repeat(12)}${path.relative('/', OUTSIDE)}/shadow`, p)),
    LOG_ONLY,
  ],
  ['the policy linked out of the root', replaceWith(POLICY, (p) => symlinkSync(path.join(OUTSIDE, 'shadow'), p)), CONFIG],
  ['a symlink loop as the policy', replaceWith(POLICY, (p) => symlinkSync(p, p)), CONFIG],
  ['1 MiB of [ as the manifest', replaceWith(MANIFEST, (p) => writeFileSync(p, '['.repeat(1024 * 1024))), CONFIG],
  [
    '1400-deep block nesting as the policy',
    replaceWith(POLICY, (p) => writeFileSync(p, Array.from({ length: 1400 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'))),
    CONFIG,
  ],
  [
    'an alias bomb as the webhook kubeconfig',
    replaceWith(WEBHOOK, (p) =>
      writeFileSync(
        p,
        [
          'a: &a ["x","x","x","x","x","x","x","x","x"]',
          ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
          'users: *i',
          '',
        ].join('\n'),
      ),
    ),
    CONFIG,
  ],
  [
    '100k files in the static-pod directory',
    (root) => {
      const dir = path.join(root, 'etc/kubernetes/manifests');
      for (let i = 0; i < 100_000; i++) writeFileSync(path.join(dir, `junk-${i}.yaml`), '');
    },
    [0, 3],
  ],
];

// One case at a time: the time bound means something only on a machine that is not running twelve.
describe('hostile node inputs', { timeout: 4 * BOUND_MS }, () => {
  it.each(CASES)('%s: bounded, no leak, nothing outside the root touched', async (name, mutate, codes) => {
    const base = path.join(tmp, name.replace(/\W+/g, '-'));
    const root = path.join(base, 'root');
    cpSync(path.join(REPO, 'fixtures/scenarios/kubeadm-healthy/root'), root, { recursive: true });
    mutate(root);
    const out = path.join(base, 'bundle.tar.gz');
    const surroundings = async () => ({ ...(await hashOutside(base, [root, out])), ...(await hashOutside(OUTSIDE, [])) });
    const before = await surroundings();
    const started = Date.now();
    const [doctor, bundle] = await Promise.all([
      runCli(['doctor', '--root', root, '--json', '--offline']),
      runCli(['bundle', '--root', root, '--out', out, '--offline']),
    ]);
    expect(Date.now() - started).toBeLessThan(BOUND_MS);
    expect(codes, doctor.stderr).toContain(doctor.code);
    expect(doctor.stderr).not.toMatch(/\n\s+at /);
    expect(bundle.code, bundle.stderr).toBe(0);
    for (const text of [doctor.stdout, doctor.stderr, bundle.stderr, decompressed(out).toString('latin1')])
      expect(text).not.toContain(CANARY);
    expect(await surroundings()).toEqual(before);
  });
});

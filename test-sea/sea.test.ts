// The single binary (npm run test:sea builds it): every command runs under `env -i` in an empty
// directory with no node_modules, with a PATH whose only program is a `node` that records being run.
// The demo node is written out only by `doctor --demo`, once, and never through a planted link.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '..');
const BIN = path.join(REPO, `dist/prisma-audit-${process.platform}-${process.arch}`);
const VERSION = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const DEMO_EXPECTED = JSON.parse(readFileSync(path.join(REPO, 'fixtures/demo/expected.json'), 'utf8')) as {
  exitCode: number;
  checks: Record<string, string>;
};
const DEMO_DIR = `prisma-audit-${process.getuid!()}-${createHash('sha256')
  .update(readFileSync(path.join(REPO, 'dist/sea/demo-root.json')))
  .digest('hex')
  .slice(0, 16)}`;

let work: string;
let cwd: string;
let tmp: string;
let fakeBin: string;
beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'prisma-audit-sea-'));
  [cwd, tmp, fakeBin] = [path.join(work, 'cwd'), path.join(work, 'tmp'), path.join(work, 'bin')];
  for (const d of [cwd, tmp, fakeBin]) await fs.mkdir(d);
  // A cluster whose API is a closed port: cluster checks become unknown, and say why.
  await fs.writeFile(
    path.join(work, 'kubeconfig'),
    'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:9\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\nusers:\n- name: u\n  user:\n    token: t\n',
  );
  await fs.writeFile(path.join(fakeBin, 'node'), `#!/bin/sh\necho "$@" >> ${work}/node-was-run\nexit 99\n`, { mode: 0o755 });
});
afterAll(async () => {
  expect(existsSync(path.join(work, 'node-was-run')), 'the binary ran node').toBe(false);
  await fs.rm(work, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The binary with an empty environment (plus what a case adds), from the empty cwd. */
function sea(args: string[], env: Record<string, string> = {}, dir = cwd): Promise<Run> {
  return new Promise((resolve) => {
    execFile(BIN, args, { cwd: dir, env: { PATH: fakeBin, TMPDIR: tmp, ...env }, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const statuses = (r: Run) =>
  Object.fromEntries((JSON.parse(r.stdout) as { checks: { id: string; status: string }[] }).checks.map((c) => [c.id, c.status]));
async function copyRoot(name: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(work, 'root-'));
  await fs.cp(path.join(REPO, 'fixtures/scenarios', name, 'root'), dir, { recursive: true });
  return dir;
}

describe('single binary', () => {
  it('is one file that needs no node_modules', () => {
    expect(existsSync(path.join(cwd, 'node_modules'))).toBe(false);
    expect(path.dirname(BIN)).not.toContain('node_modules');
  });

  it('--version, --help, checks, explain', async () => {
    expect(await sea(['--version'])).toEqual({ code: 0, stdout: `prisma-audit ${VERSION}\n`, stderr: '' });
    expect((await sea(['--help'])).stdout).toMatch(/doctor/);
    expect(JSON.parse((await sea(['checks', '--json'])).stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'webhook-url' })]),
    );
    expect((await sea(['explain', 'webhook-tls-chain'])).stdout).toMatch(/x509/);
    // No command but the demo writes anything: an unwritable TMPDIR changes nothing.
    expect((await sea(['--version'], { TMPDIR: '/nonexistent' })).code).toBe(0);
  });

  it('doctor --demo --offline: the verdicts of the demo node, written out once under TMPDIR', async () => {
    const r = await sea(['doctor', '--demo', '--offline', '--json']);
    expect(r.stderr).toBe('');
    expect(statuses(r)).toEqual(DEMO_EXPECTED.checks);
    expect(r.code).toBe(DEMO_EXPECTED.exitCode);
    const dir = path.join(tmp, DEMO_DIR);
    const st = await fs.lstat(dir);
    expect(st.isDirectory() && (st.mode & 0o777) === 0o700).toBe(true);
    await sea(['doctor', '--demo', '--offline', '--json']);
    expect((await fs.readdir(tmp)).filter((e) => e.startsWith('prisma-audit-'))).toEqual([DEMO_DIR]);
    expect((await fs.lstat(dir)).ino).toBe(st.ino);
  });

  it('doctor --demo: its own console on loopback, judged live', async () => {
    const r = await sea(['doctor', '--demo', '--json']);
    const checks = statuses(r);
    expect(checks['webhook-reachable']).toBe('pass');
    expect(r.stdout).toMatch(/signed by unknown authority/);
  });

  it('doctor --demo does not follow a link planted where its copy goes', async () => {
    const other = path.join(work, 'tmp-planted');
    const target = path.join(work, 'elsewhere');
    await fs.mkdir(other);
    await fs.mkdir(target);
    await fs.symlink(target, path.join(other, DEMO_DIR));
    const r = await sea(['doctor', '--demo', '--offline', '--json'], { TMPDIR: other });
    expect(statuses(r)).toEqual(DEMO_EXPECTED.checks);
    expect(await fs.readdir(target)).toEqual([]);
  });

  it('doctor on a node root: text, junit, and no warning from an optional module in cluster mode', async () => {
    const root = await copyRoot('kubeadm-broken');
    const text = await sea(['doctor', '--root', root, '--output', 'text']);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/^FAIL\s+webhook-config-valid/m);
    expect((await sea(['doctor', '--root', root, '--output', 'junit'])).stdout).toMatch(/<testsuites name="prisma-audit"/);
    // Cluster mode loads the Kubernetes client (and its optional requires); the API is a closed port.
    const kubeconfig = path.join(work, 'kubeconfig');
    const cluster = await sea(['doctor', '--root', root, '--json', '--kubeconfig', kubeconfig, '--timeout', '2']);
    expect(cluster.stderr).toBe('');
    expect(statuses(cluster)['control-plane-apiservers']).toBe('unknown');
  });

  it('as kubectl-prisma_audit: cluster mode by default, through kubectl when it is installed', async () => {
    const plugins = path.join(work, 'plugins');
    await fs.mkdir(plugins, { recursive: true });
    await fs.symlink(BIN, path.join(plugins, 'kubectl-prisma_audit'));
    const kubeconfig = path.join(work, 'kubeconfig');
    const home = path.join(work, 'home');
    await fs.mkdir(path.join(home, '.kube'), { recursive: true });
    await fs.copyFile(kubeconfig, path.join(home, '.kube/config'));
    const args = ['doctor', '--json', '--timeout', '2', '--only', 'control-plane-apiservers'];
    // The same environment: only the plugin name turns cluster mode on (from ~/.kube/config).
    const plain = await sea(args, { HOME: home });
    expect(statuses(plain)['control-plane-apiservers']).toBe('skip');
    const plugin = await new Promise<Run>((resolve) =>
      execFile(
        path.join(plugins, 'kubectl-prisma_audit'),
        args,
        { cwd, env: { PATH: fakeBin, TMPDIR: tmp, HOME: home } },
        (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(statuses(plugin)['control-plane-apiservers']).toBe('unknown');
    if (!existsSync('/usr/bin/kubectl')) return;
    // kubectl passes --kubeconfig and --context after the plugin name; a context that is not there is named.
    const viaKubectl = await new Promise<Run>((resolve) =>
      execFile(
        '/usr/bin/kubectl',
        ['prisma-audit', 'doctor', '--json', '--kubeconfig', kubeconfig, '--context', 'nope', '--timeout', '2'],
        { cwd, env: { PATH: `${plugins}:${fakeBin}`, TMPDIR: tmp, HOME: home } },
        (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(`${viaKubectl.stdout}${viaKubectl.stderr}`).toMatch(/nope/);
  });

  it('fix: a plan in the cwd, then --apply with its record next to the backups', async () => {
    const root = await copyRoot('kubeadm-broken');
    const plan = await sea(['fix', '--root', root, '--offline']);
    expect(plan.stdout).toMatch(/Wrote the plan to/);
    expect((await fs.readdir(cwd)).some((e) => e.startsWith('prisma-audit-fix-'))).toBe(true);
    const applied = JSON.parse((await sea(['fix', '--root', root, '--offline', '--apply', '--yes', '--json'])).stdout) as {
      out: string;
      rollback: string[];
    };
    expect(applied.out.startsWith(path.join(root, 'var/backups/prisma-audit/'))).toBe(true);
    // One quoted command per file, never a `cp -a` of the whole backup onto the root (issue 14).
    expect(applied.rollback.length).toBeGreaterThan(0);
    for (const line of applied.rollback) expect(line).toMatch(/^(cp -p|rm -f|mv) -- '/);
  });

  it('bundle, then doctor --from-bundle', async () => {
    const root = await copyRoot('kubeadm-broken');
    const out = path.join(work, 'support.tar.gz');
    const b = await sea(['bundle', '--root', root, '--out', out]);
    expect(b.code).toBe(0);
    expect((await fs.stat(out)).size).toBeGreaterThan(0);
    const replay = await sea(['doctor', '--from-bundle', out, '--json']);
    expect(statuses(replay)['webhook-config-valid']).toBe('fail');
  });

  it('the terminal UI (ink and its WebAssembly layout engine) in a pty', async () => {
    const command = `stty cols 120 rows 40; env -i TERM=xterm PATH=${fakeBin} TMPDIR=${tmp} ${BIN} doctor --demo --offline; echo EXIT=$?`;
    // `script` gives the binary a real terminal; q quits once every check has run.
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    let quit = false;
    const plain = () => out.replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, '');
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (!quit && /\d+ checks: \d+ pass/.test(plain())) {
        quit = true;
        child.stdin.write('q');
      }
      // script waits for its input to end as well.
      if (/EXIT=\d/.test(plain())) child.stdin.end();
    });
    const timer = setTimeout(() => child.kill(), 45_000);
    await new Promise((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    expect(plain()).toMatch(/DEMO: checking the bundled demo node/);
    expect(plain()).toMatch(/EXIT=3/);
  });
});

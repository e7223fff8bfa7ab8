// The container image (npm run test:image builds it): imported into a containerd this suite starts
// itself, with a private root, state and socket under a temp dir (no system service is touched), then
// run with `ctr run`: the demo doctor, with its loopback console inside the container's own network.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '..');
const IMAGE = path.join(REPO, 'dist/prisma-audit-image.tar');
const VERSION = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const REF = `docker.io/library/prisma-audit:${VERSION}`;
const DEMO_EXPECTED = JSON.parse(readFileSync(path.join(REPO, 'fixtures/demo/expected.json'), 'utf8')) as {
  exitCode: number;
  checks: Record<string, string>;
};
const run = promisify(execFile);

let dir: string;
let daemon: ChildProcess;
const ctr = (...args: string[]) =>
  run('ctr', ['--address', path.join(dir, 'containerd.sock'), '--namespace', 'prisma-audit-test', ...args], { maxBuffer: 64 << 20 });

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'prisma-audit-containerd-'));
  const sock = path.join(dir, 'containerd.sock');
  // CRI is not needed for ctr (and kubelet.md's restrict_oom_score_adj matters to CRI only).
  await fs.writeFile(
    path.join(dir, 'config.toml'),
    `version = 2\nroot = "${dir}/root"\nstate = "${dir}/state"\ndisabled_plugins = ["io.containerd.grpc.v1.cri"]\n[grpc]\n  address = "${sock}"\n`,
  );
  const log = await fs.open(path.join(dir, 'containerd.log'), 'w');
  daemon = spawn('containerd', ['--config', path.join(dir, 'config.toml')], { stdio: ['ignore', log.fd, log.fd] });
  for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 200));
  await log.close();
  if (!existsSync(sock)) throw new Error(`containerd did not start: ${await fs.readFile(path.join(dir, 'containerd.log'), 'utf8')}`);
}, 60_000);

afterAll(async () => {
  daemon?.kill('SIGTERM');
  await new Promise((r) => (daemon.exitCode !== null ? r(null) : daemon.once('exit', r)));
  await fs.rm(dir, { recursive: true, force: true });
});

describe('container image', () => {
  it('is FROM scratch: one layer with the binary, its libraries, passwd, group and /tmp only', async () => {
    const manifest = JSON.parse((await run('tar', ['-xOf', IMAGE, 'manifest.json'])).stdout) as { Layers: string[]; RepoTags: string[] }[];
    expect(manifest).toHaveLength(1);
    expect(manifest[0]!.Layers).toHaveLength(1);
    const layer = path.join(dir, 'layer.tar');
    await run('sh', ['-c', `tar -xOf "${IMAGE}" "${manifest[0]!.Layers[0]}" > "${layer}"`]);
    const files = (await run('tar', ['-tf', layer])).stdout.split('\n').filter((f) => f && !f.endsWith('/'));
    expect(
      files.filter(
        (f) => !/^(usr\/local\/bin\/prisma-audit|etc\/(passwd|group)|(usr\/)?lib(64|\/x86_64-linux-gnu)?\/[\w.+-]+\.so[.\d]*)$/.test(f),
      ),
    ).toEqual([]);
    expect(files).toContain('usr/local/bin/prisma-audit');
  });

  it('imports into containerd with its tag', async () => {
    await ctr('images', 'import', IMAGE);
    expect((await ctr('images', 'ls', '-q')).stdout.split('\n')).toContain(REF);
  });

  it('runs doctor --demo: the demo verdicts offline, and its own console judged live', async () => {
    const offline = await ctr(
      'run',
      '--rm',
      REF,
      'demo-offline',
      '/usr/local/bin/prisma-audit',
      'doctor',
      '--demo',
      '--offline',
      '--json',
    ).catch((e: { stdout: string; code: number }) => e);
    const statuses = (out: string) =>
      Object.fromEntries((JSON.parse(out) as { checks: { id: string; status: string }[] }).checks.map((c) => [c.id, c.status]));
    expect(statuses(offline.stdout)).toEqual(DEMO_EXPECTED.checks);
    const live = await ctr('run', '--rm', REF, 'demo-live', '/usr/local/bin/prisma-audit', 'doctor', '--demo', '--json').catch(
      (e: { stdout: string }) => e,
    );
    expect(statuses(live.stdout)['webhook-reachable']).toBe('pass');
    expect(live.stdout).toMatch(/signed by unknown authority/);
  });

  it('has the binary as entrypoint and doctor --root /host as its command (the host is mounted there)', async () => {
    expect((await ctr('run', '--rm', REF, 'version', '/usr/local/bin/prisma-audit', '--version')).stdout).toBe(`prisma-audit ${VERSION}\n`);
    // Nothing is mounted at /host here: the default command says so, with the usage exit code.
    const bare = await ctr('run', '--rm', REF, 'default').then(
      () => null,
      (e: { stderr: string; stdout: string }) => e,
    );
    expect(`${bare?.stdout}${bare?.stderr}`).toMatch(/--root \/host: does not exist; mount the node's \/ there read-only/);
  });
});

// What `npm publish` would ship: the bundled CLI, the demo node, the docs, README and LICENSE, and
// nothing else (no per-file tsc output, no test fixtures, nothing that looks like a private key). The
// packed tarball must run as installed: dist/ is built by globalSetup, as `prepack` builds it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from './helpers/cli.js';

const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^dist\/cli\.js$/,
  /^dist\/chunks\/[\w-]+\.js$/,
  /^fixtures\/demo\/root\/.+/,
  /^docs\/[\w/-]+\.md$/,
];
const KEY_NAME = /\.(key|p12|pfx|jks|keystore)$|(^|\/)id_(rsa|dsa|ecdsa|ed25519)$/i;
const KEY_TEXT = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

// --ignore-scripts: the dist/ of this run is what prepack would have built.
const npm = (args: string[], cwd = REPO) =>
  execFileSync('npm', [...args, '--ignore-scripts', '--json'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const packed = JSON.parse(npm(['pack', '--dry-run'])) as { files: { path: string }[]; unpackedSize: number }[];
const paths = packed[0]!.files.map((f) => f.path);
const work = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm pack', () => {
  it('ships only the bundled CLI, the demo node, the docs, README and LICENSE', () => {
    expect(paths.filter((p) => !ALLOWED.some((re) => re.test(p)))).toEqual([]);
    for (const must of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/cli.js',
      'docs/fixes.md',
      'fixtures/demo/root/etc/kubernetes/manifests/kube-apiserver.yaml',
    ])
      expect(paths).toContain(must);
    expect(readFileSync(path.join(REPO, 'LICENSE'), 'utf8')).toMatch(
      /Apache License\s+Version 2\.0, January 2004[\s\S]*END OF TERMS AND CONDITIONS/,
    );
  });

  it('holds nothing that looks like a private key, by name or by content', () => {
    expect(paths.filter((p) => KEY_NAME.test(p))).toEqual([]);
    expect(paths.filter((p) => KEY_TEXT.test(readFileSync(path.join(REPO, p), 'latin1')))).toEqual([]);
  });

  it('runs from the unpacked tarball, from any directory: --version and the offline demo', async () => {
    const [{ filename }] = JSON.parse(npm(['pack', '--pack-destination', work])) as { filename: string }[];
    execFileSync('tar', ['-xzf', path.join(work, filename), '-C', work]);
    // The dependencies an install would bring, without the network.
    symlinkSync(path.join(REPO, 'node_modules'), path.join(work, 'package/node_modules'));
    const cli = path.join(work, 'package/dist/cli.js');
    const version = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version as string;
    const v = await runCli(['--version'], { cwd: os.tmpdir(), cli });
    expect(v.stdout.trim()).toContain(version);
    const expected = JSON.parse(readFileSync(path.join(REPO, 'fixtures/demo/expected.json'), 'utf8')) as {
      exitCode: number;
      checks: Record<string, string>;
    };
    const r = await runCli(['doctor', '--demo', '--offline', '--json'], { cwd: os.tmpdir(), cli });
    expect(r.stderr).toBe('');
    expect(Object.fromEntries(JSON.parse(r.stdout).checks.map((c: { id: string; status: string }) => [c.id, c.status]))).toEqual(
      expected.checks,
    );
    expect(r.code).toBe(expected.exitCode);
  });
});

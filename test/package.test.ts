// What `npm publish` would ship: the bundled CLI, the demo node, the docs, README and LICENSE, and
// nothing else (no per-file tsc output, no test fixtures, nothing that looks like a private key). The
// packed tarball must run as installed, with only its production dependencies (what dist/ bundles is a
// devDependency): dist/ is built by globalSetup, as `prepack` builds it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from './helpers/cli.js';
import { runInTerminal } from './helpers/terminal.js';

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

  it('runs from the unpacked tarball, from any directory: --version, the offline demo and its UI', async () => {
    const [{ filename }] = JSON.parse(npm(['pack', '--pack-destination', work])) as { filename: string }[];
    execFileSync('tar', ['-xzf', path.join(work, filename), '-C', work]);
    // What an install would bring, without the network: the production dependency tree npm reports
    // (top-level packages carry their nested node_modules along).
    const production = (execFileSync('npm', ['ls', '--omit=dev', '--parseable', '--all'], { cwd: REPO, encoding: 'utf8' }) as string)
      .split('\n')
      .map((p) => path.relative(path.join(REPO, 'node_modules'), p))
      .filter((rel) => /^(@[^/]+\/)?[^/@.][^/]*$/.test(rel));
    expect(production).toContain('undici');
    expect(production).not.toContain('ink');
    for (const rel of production) {
      mkdirSync(path.dirname(path.join(work, 'package/node_modules', rel)), { recursive: true });
      symlinkSync(path.join(REPO, 'node_modules', rel), path.join(work, 'package/node_modules', rel));
    }
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
    // The terminal UI: ink, react and yoga come from the bundle, not from node_modules.
    const ui = runInTerminal(['doctor', '--demo', '--offline'], { columns: 80, rows: 24 }, {}, cli);
    await ui.waitFor((screen) => /\d+ checks: \d+ pass/.test(screen), 20_000);
    ui.press('q');
    expect((await ui.exited).code).toBe(expected.exitCode);
  });
});

// Builds the single-file executable dist/prisma-audit-linux-x64 (npm run build:sea): a Node single
// executable application (SEA) of this very node binary, for control-plane nodes without Node.js.
//  1. esbuild bundles the CLI and every dependency into one CommonJS script (a SEA's main script must
//     be CommonJS and can require only built-in modules). Three things stand in the way, handled by the
//     plugins below, each failing the build when the text it replaces changes upstream:
//     - yoga-layout (ink's layout engine, WebAssembly) loads with a top-level await, and ink's
//       reconciler awaits two development-only imports: both are patched (scripts/esbuild-patches.mjs);
//     - optional modules that dependencies require inside try/catch resolve to stubs that throw
//       MODULE_NOT_FOUND, as when they are not installed (otherwise a SEA prints a warning).
//     The version is injected (no package.json sits beside the binary).
//  2. `node --experimental-sea-config` makes the blob, with the V8 code cache (the largest start-up
//     win) and the demo node as an asset; postject injects it into a copy of this node binary.
// The blob must come from the node that runs it: build an arm64 binary on an arm64 node.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { inkDevOnly, yogaSync } from './esbuild-patches.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = path.join(root, 'dist');
const work = path.join(out, 'sea');
export const SEA_BINARY = path.join(out, `prisma-audit-${process.platform}-${process.arch}`);
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

const OPTIONAL = ['encoding', 'supports-color', 'bufferutil', 'utf-8-validate', 'react-devtools-core'];
const optionalStubs = {
  name: 'optional-stubs',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${OPTIONAL.join('|')})$`) }, ({ path: name }) => ({ path: name, namespace: 'optional-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'optional-stub' }, ({ path: name }) => ({
      contents: `const e = new Error(${JSON.stringify(`Cannot find module '${name}'`)}); e.code = 'MODULE_NOT_FOUND'; throw e;`,
      loader: 'js',
    }));
  },
};

/** The demo node as one asset: relative path -> base64 contents. */
function demoAsset() {
  const base = path.join(root, 'fixtures/demo/root');
  const files = {};
  for (const rel of readdirSync(base, { recursive: true }).sort()) {
    const full = path.join(base, rel);
    if (statSync(full).isFile()) files[rel.split(path.sep).join('/')] = readFileSync(full).toString('base64');
  }
  return JSON.stringify(files);
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const main = path.join(work, 'cli.cjs');
await build({
  entryPoints: [path.join(root, 'src/cli.ts')],
  outfile: main,
  bundle: true,
  minify: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // import() of our own lazily loaded modules becomes require(): the code cache has no import() hook.
  supported: { 'dynamic-import': false },
  define: { PRISMA_AUDIT_TOOL: JSON.stringify({ name: pkg.name, version: pkg.version }), 'process.env.NODE_ENV': '"production"' },
  plugins: [yogaSync, inkDevOnly, optionalStubs],
  logLevel: 'warning',
  // packageRoot() (src/cli/tool.ts) is never asked in the binary; the dependencies' uses are patched above.
  logOverride: { 'empty-import-meta': 'silent' },
});
writeFileSync(path.join(work, 'demo-root.json'), demoAsset());
const config = path.join(work, 'sea-config.json');
writeFileSync(
  config,
  JSON.stringify({
    main,
    output: path.join(work, 'sea-prep.blob'),
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
    assets: { 'demo-root.json': path.join(work, 'demo-root.json') },
  }),
);
execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });
rmSync(SEA_BINARY, { force: true });
copyFileSync(process.execPath, SEA_BINARY);
chmodSync(SEA_BINARY, 0o755);
// postject's ELF library warns about section names of node's binary on every run: shown on failure only.
const inject = spawnSync(
  process.execPath,
  [
    require.resolve('postject/dist/cli.js'),
    SEA_BINARY,
    'NODE_SEA_BLOB',
    path.join(work, 'sea-prep.blob'),
    '--sentinel-fuse',
    'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
  ],
  { encoding: 'utf8' },
);
if (inject.status !== 0) throw new Error(`build:sea: postject failed:\n${inject.stdout}${inject.stderr}`);
console.log(
  `build:sea: ${path.relative(root, SEA_BINARY)} (${(statSync(SEA_BINARY).size / 1e6).toFixed(1)} MB, bundle ${(statSync(main).size / 1e6).toFixed(1)} MB)`,
);

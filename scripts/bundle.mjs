// Bundles the CLI entry (dist/cli.js) with esbuild after tsc has type-checked and emitted dist/.
// One file plus split chunks for lazily loaded commands: resolving ~250 small ES modules cost about
// a third of `doctor --json` start-up on Node 20, which has no module compile cache.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { inkDevOnly, yogaSync } from './esbuild-patches.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
rmSync(path.join(root, 'dist/chunks'), { recursive: true, force: true });
await build({
  entryPoints: [path.join(root, 'src/cli.ts')],
  outdir: path.join(root, 'dist'),
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Loaded lazily by the commands that need them. ink and react are bundled: as packages, resolving
  // and lexing their ~150 modules took ~400 ms before the UI could draw its second frame.
  external: ['@kubernetes/client-node', 'undici', 'tar-stream', 'diff', 'node-forge'],
  // React's production build: its development build's checks took most of the CPU while checks ran
  // (and no key is read during a render).
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [inkDevOnly, yogaSync],
  // CommonJS code inside the bundle expects `require`.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});

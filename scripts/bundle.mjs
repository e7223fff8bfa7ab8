// Bundles the CLI entry (dist/cli.js) with esbuild after tsc has type-checked and emitted dist/.
// One file plus split chunks for lazily loaded commands: resolving ~250 small ES modules cost about
// a third of `doctor --json` start-up on Node 20, which has no module compile cache.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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
  // Loaded lazily by the commands that need them (and ink's native layout engine must stay a package).
  external: ['ink', 'react', '@kubernetes/client-node', 'undici', 'tar-stream', 'diff', 'node-forge'],
  // CommonJS code inside the bundle expects `require`.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});

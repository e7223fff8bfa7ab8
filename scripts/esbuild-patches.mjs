// Source patches both bundles (scripts/bundle.mjs, scripts/build-sea.mjs) apply to dependencies while
// esbuild reads them. Each fails the build when the text it replaces changes upstream.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Replaces each `from` (which must occur exactly once) by `to`, or fails the build naming the file. */
export function patch(file, text, edits) {
  for (const [from, to] of edits) {
    const count = text.split(from).length - 1;
    if (count !== 1)
      throw new Error(
        `build: ${path.relative(root, file)} changed upstream (${count} matches for ${JSON.stringify(from.slice(0, 60))}); review the patch in scripts/esbuild-patches.mjs`,
      );
    text = text.replace(from, () => to);
  }
  return text;
}

/** ink's reconciler awaits two development-only imports when DEV=true (React devtools, and its own
 * package.json read beside the module, which a bundle does not have): a DEV=true in the user's
 * environment must not break the tool. */
export const inkDevOnly = {
  name: 'ink-dev-only',
  setup(b) {
    b.onLoad({ filter: /ink[\\/]build[\\/]reconciler\.js$/ }, ({ path: file }) => ({
      contents: patch(file, readFileSync(file, 'utf8'), [
        // DEV=true then prints ink's own "react-devtools-core is not installed" advice.
        [
          "await import('./devtools.js');",
          "throw Object.assign(new Error('React devtools are not in the bundle'), { code: 'ERR_MODULE_NOT_FOUND' });",
        ],
        ['? await loadPackageJson()', '? { name: undefined, version: undefined }'],
        ["const content = fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8');", "const content = '{}';"],
      ]),
      loader: 'js',
    }));
  },
};

/** yoga-layout (ink's layout engine, WebAssembly) loads with a top-level await, and its emscripten glue
 * tests `typeof fetch` first, which makes Node load its whole built-in fetch (~35 ms). Its index is
 * replaced by a synchronous loader that hands emscripten's `instantiateWasm` hook an instance made
 * with `new WebAssembly.Instance`, so the runtime is ready when the factory returns (a single
 * executable, CommonJS, could not await it at all). */
export const yogaSync = {
  name: 'yoga-sync',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, ({ path: file }) => ({
      contents: patch(file, readFileSync(file, 'utf8'), [
        [
          'const Yoga = wrapAssembly(await loadYoga());',
          `const module = {
  instantiateWasm(imports, receiveInstance) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(wasmBase64, 'base64')), imports);
    receiveInstance(instance);
    return instance.exports;
  },
};
loadYoga(module);
if (!module.calledRun) throw new Error('yoga-layout did not initialise synchronously');
const Yoga = wrapAssembly(module);`,
        ],
        [
          "import loadYoga from '../binaries/yoga-wasm-base64-esm.js';",
          "import loadYoga, { wasmBase64 } from '../binaries/yoga-wasm-base64-esm.js';",
        ],
      ]),
      loader: 'js',
    }));
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, ({ path: file }) => {
      const text = readFileSync(file, 'utf8');
      const wasm = /H="data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/.exec(text);
      if (!wasm || !text.includes('if(h.instantiateWasm)try{return h.instantiateWasm(d,'))
        throw new Error(`build: ${file} changed upstream: no embedded wasm or instantiateWasm hook`);
      // The wasm moves to an export the loader above reads; the glue never fetches its data: URL.
      const contents = patch(file, text, [
        [wasm[0], 'H="data:application/octet-stream;base64,"'],
        ['var _scriptDir = import.meta.url;', 'var _scriptDir = undefined;'],
      ]);
      return { contents: `${contents}\nexport const wasmBase64 = ${JSON.stringify(wasm[1])};\n`, loader: 'js' };
    });
  },
};

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Name and version, set by the single-binary build (scripts/build-sea.mjs): no package.json is beside
 * that binary. Undefined in the npm package. */
declare const PRISMA_AUDIT_TOOL: { name: string; version: string } | undefined;

let packageRootMemo: string | null = null;

/** The installed package's folder: the nearest one above this module with a package.json. The
 * same answer whether this runs from tsc's dist/cli/ or from the bundled dist/cli.js. Not asked in
 * the single binary, which has no package folder. */
export function packageRoot(): string {
  if (packageRootMemo === null) {
    let dir = path.dirname(fileURLToPath(import.meta.url));
    while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    packageRootMemo = dir;
  }
  return packageRootMemo;
}

/** Name and version (read once; the CLI needs it in every mode). */
export const TOOL: { name: string; version: string } = (() => {
  if (typeof PRISMA_AUDIT_TOOL !== 'undefined') return PRISMA_AUDIT_TOOL;
  const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
})();

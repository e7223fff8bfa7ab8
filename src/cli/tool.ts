import { readFileSync } from 'node:fs';

/** Name and version, from package.json (read once; the CLI needs it in every mode). */
export const TOOL: { name: string; version: string } = (() => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
})();

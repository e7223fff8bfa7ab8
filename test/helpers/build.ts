// vitest globalSetup: build dist/ once (tsc, then the bundled CLI entry), so end-to-end tests run
// the real CLI exactly as users do.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const repo = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, [`${repo}node_modules/typescript/bin/tsc`, '-p', repo], { stdio: 'inherit' });
  execFileSync(process.execPath, [`${repo}scripts/bundle.mjs`], { stdio: 'inherit' });
}

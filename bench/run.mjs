// `npm run bench [name]`: runs every benchmark in this folder (or the one named), one process each.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && (!only || f === `${only}.mjs`))
  .sort();
if (benches.length === 0) {
  console.error(
    `no benchmark named ${only}; have: ${readdirSync(dir)
      .filter((f) => f !== 'run.mjs')
      .join(', ')}`,
  );
  process.exit(2);
}
let failed = false;
for (const b of benches) {
  console.log(`\n== ${b}`);
  const r = spawnSync(process.execPath, [path.join(dir, b)], { stdio: 'inherit' });
  failed ||= r.status !== 0;
}
process.exit(failed ? 1 : 0);

// `doctor --compare FILE`: the earlier report, from `doctor --json` output or a support bundle (whose
// recorded facts are re-checked by this version, so both sides are judged by the same rules).
import { promises as fs } from 'node:fs';
import { CHECKS } from '../checks/index.js';
import { runChecks } from '../checks/run.js';
import { fingerprintOf } from '../engine/fingerprint.js';
import { STATUSES, type Report } from '../model/report.js';
import { bundleRun } from './bundle-run.js';
import { UsageError } from './usage.js';
import { isObj } from '../parse/json-value.js';

export async function loadBefore(file: string): Promise<Report> {
  const bytes = await fs.readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`--compare ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const run = await bundleRun(file);
    return { ...(await runChecks(CHECKS, run.source, run.runOpts)), fingerprint: await fingerprintOf(run.source, run.runOpts.now) };
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new UsageError(
      `--compare ${file}: neither a support bundle (.tar.gz) nor JSON (save one with: prisma-audit doctor --json > before.json)`,
    );
  }
  const checks = isObj(json) && Array.isArray(json.checks) ? json.checks : null;
  const valid = checks?.every((c) => isObj(c) && typeof c.id === 'string' && STATUSES.includes(c.status as never));
  if (!isObj(json) || json.schemaVersion !== 1 || !valid)
    throw new UsageError(
      `--compare ${file}: not a prisma-audit doctor report (schemaVersion 1 with checks[]); save one with: prisma-audit doctor --json > before.json`,
    );
  return json as unknown as Report;
}

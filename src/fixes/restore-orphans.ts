// Orphaned audit files for `fix`: which file each missing flag is restored to (--use, the only
// candidate, or the user's answer on a terminal), read and parsed so the generators and the
// verification work on it as if the flag had never been dropped.
import { auditLayout, NO_RESTORE, type Restore } from './generators/layout.js';
import { answer, planRestore, type RestoreQuestion } from './restore.js';
import type { GatheredFacts } from './types.js';
import { MAX_CONFIG_BYTES } from '../facts/node/apiserver.js';
import { classifyAuditFile } from '../facts/node/orphans.js';
import type { OrphanRole, ParsedFile } from '../model/node.js';
import { readHostText } from '../io/host-fs.js';
import { parseYaml } from '../parse/yaml-file.js';

/** --use names a file that is not an audit file (the CLI reports it as a usage error). */
export class RestoreInputError extends Error {}

/** Asks which candidate to restore; null when it cannot ask (no terminal) or the user declined. */
export type RestoreChooser = (q: RestoreQuestion) => Promise<string | null>;

async function readAuditFile(root: string, hostPath: string): Promise<{ text: string; size: number; role: OrphanRole } | null> {
  const read = await readHostText(root, hostPath, MAX_CONFIG_BYTES).catch(() => null);
  const kind = read ? classifyAuditFile(read.text) : null;
  return read && kind ? { ...read, role: kind.role } : null;
}

/** @returns the restore plan and the facts with the restored files in place of the missing ones. */
export async function adoptOrphans(
  facts: GatheredFacts,
  root: string,
  use: string[],
  choose: RestoreChooser | null,
): Promise<{ restore: Restore; facts: GatheredFacts }> {
  const api = facts.apiserver?.ok ? facts.apiserver.value : null;
  if (!api || api.mode === 'operator-managed') return { restore: NO_RESTORE, facts };
  const used: { hostPath: string; role: OrphanRole }[] = [];
  for (const p of use) {
    const file = await readAuditFile(root, p);
    if (!file)
      throw new RestoreInputError(
        `--use ${p}: not a readable audit policy or kubeconfig posting to a Prisma webhook path (give the path on the node)`,
      );
    used.push({ hostPath: p, role: file.role });
  }
  const planned = planRestore(api, facts.auditOrphans?.ok ? facts.auditOrphans.value : null, used);
  let restore = planned.restore;
  for (const q of planned.questions) restore = answer(restore, q, choose ? await choose(q) : null);
  const layout = auditLayout(api, true, restore);
  const adopted: GatheredFacts = { ...facts };
  for (const [key, target] of [
    ['policy', layout.policy],
    ['webhookConfig', layout.webhook],
  ] as const) {
    if (!target.restoredFrom || facts[key]?.ok) continue;
    const file = await readAuditFile(root, target.restoredFrom);
    if (!file) continue;
    const value: ParsedFile = {
      path: target.restoredFrom,
      containerPath: target.containerPath,
      size: file.size,
      text: file.text,
      ...parseYaml(file.text),
    };
    adopted[key] = { ok: true, value };
  }
  return { restore, facts: adopted };
}

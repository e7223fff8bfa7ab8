// Which orphaned audit file each missing flag is pointed back at. Pure: the candidates come from the
// auditOrphans fact, the choices from --use or the terminal.
import { restorable } from '../checks/rules.js';
import type { ApiserverConfig, AuditOrphan, AuditOrphans, OrphanRole } from '../model/node.js';
import type { Restore } from './generators/layout.js';

export interface RestoreQuestion {
  role: OrphanRole;
  flag: string;
  what: string;
  candidates: AuditOrphan[];
}

const KEY: Record<OrphanRole, 'policy' | 'webhook'> = { policy: 'policy', 'webhook-config': 'webhook' };

/** @param used host paths given with --use, already judged as audit files of the given role.
 * Returns the restore plan and the questions that still need an answer (several candidates). */
export function planRestore(
  api: ApiserverConfig,
  orphans: AuditOrphans | null,
  used: { hostPath: string; role: OrphanRole }[],
): { restore: Restore; questions: RestoreQuestion[] } {
  const restore: Restore = { policy: null, webhook: null, ambiguous: [] };
  const questions: RestoreQuestion[] = [];
  const missing = orphans ? restorable(api, orphans) : [];
  for (const m of missing) {
    const pick = used.find((u) => u.role === m.role);
    if (pick) restore[KEY[m.role]] = pick.hostPath;
    else if (m.candidates.length === 1) restore[KEY[m.role]] = m.candidates[0]!.hostPath;
    else if (m.candidates.length > 1) questions.push(m);
  }
  return { restore, questions };
}

/** Records an answer (a host path), or the question left open when there was no one to ask. */
export function answer(restore: Restore, q: RestoreQuestion, hostPath: string | null): Restore {
  if (hostPath) return { ...restore, [KEY[q.role]]: hostPath };
  const list = q.candidates.map((c) => `${c.hostPath} (${c.detail}; ${c.foundBy})`).join('; ');
  return { ...restore, ambiguous: [...restore.ambiguous, `--${q.flag}: ${q.candidates.length} ${q.what}s could be restored: ${list}`] };
}

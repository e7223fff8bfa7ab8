// manifests-dir-cleanup: moves backups and audit files out of the static-pod directory (the kubelet
// runs every non-dot file there) into the same backup folder --apply uses, mirroring their paths.
import path from 'node:path';
import { strayFiles } from '../../checks/rules.js';
import { BACKUP_DIR } from '../../model/node.js';
import { timestamp, type FixOptions, type GatheredFacts, type GeneratorResult } from '../types.js';

export function manifestsDirCleanup(facts: GatheredFacts, opts: FixOptions): GeneratorResult {
  const api = facts.apiserver;
  const dir = facts.manifestsDir;
  if (!api?.ok || !dir?.ok) {
    const why = !api?.ok ? api?.error.message : !dir?.ok ? dir?.error.message : '';
    return {
      fix: 'manifests-dir-cleanup',
      reason: `the static-pod directory could not be listed: ${why ?? 'not gathered'}`,
      manualSteps: [
        'Move backups (*.bak, *.orig, ...) and audit files out of /etc/kubernetes/manifests, e.g. to /var/backups/prisma-audit/.',
      ],
    };
  }
  const { backups, audit } = strayFiles(path.posix.basename(api.value.file), dir.value.entries);
  const folder = path.posix.join(BACKUP_DIR, timestamp(opts.now));
  return [...backups, ...audit].map((e) => {
    const from = path.posix.join(dir.value.dir, e.name);
    return {
      kind: 'move',
      fix: 'manifests-dir-cleanup',
      from,
      hostPath: path.posix.join(folder, from),
      description: `${from} is ${backups.includes(e) ? 'a backup the kubelet runs as a pod' : 'not a pod manifest'}: moved out of the static-pod directory`,
    };
  });
}

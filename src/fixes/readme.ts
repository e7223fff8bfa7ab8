// README.md of the --out folder: what to copy where, in which order, on every control-plane node.
import type { Artifact, WriteArtifact } from './types.js';
import type { FixOutcome } from './plan.js';

export interface ReadmeInput {
  stamp: string;
  root: string;
  manifest: string | null;
  distribution: string | null;
  outcomes: FixOutcome[];
  /** Node artifacts in the order they must be applied (manifest last), with whether the file exists. */
  steps: { artifact: Artifact; exists: boolean }[];
  durable: WriteArtifact[];
  backupDir: string;
  applied: boolean;
  /** Set when no manifest change restarts kube-apiserver, so the new files need a restart. */
  restart: string | null;
}

const q = (p: string) => (/^[\w./@:+-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);

function command(a: Artifact, exists: boolean): string {
  if (a.kind === 'move') return `mkdir -p ${q(a.hostPath.slice(0, a.hostPath.lastIndexOf('/')))} && mv ${q(a.from)} ${q(a.hostPath)}`;
  // cp onto an existing file keeps its mode and owner; new files are root-only (the webhook URL suffix is a secret).
  return exists
    ? `cp node${q(a.hostPath)} ${q(a.hostPath)}`
    : `install -D -m ${(a.mode ?? 0o600).toString(8)} node${q(a.hostPath)} ${q(a.hostPath)}`;
}

export function renderReadme(r: ReadmeInput): string {
  const lines: string[] = [
    `# prisma-audit fix, ${r.stamp}`,
    '',
    `Planned for ${r.distribution ?? 'unknown'} node root \`${r.root}\`${r.manifest ? `, apiserver configuration \`${r.manifest}\`` : ''}.`,
    '',
  ];
  lines.push(
    r.applied
      ? `\`prisma-audit fix --apply\` already made these changes on this node (backups in ${r.backupDir}); repeat them on the other control-plane nodes.`
      : 'Nothing on the node was changed.',
    '`node/` mirrors the paths on the node; `diffs/` holds a unified diff for each file (`git apply --check` accepts them).',
    '',
  );
  if (r.steps.length > 0) {
    const backups = r.steps.filter((s) => s.exists && s.artifact.kind === 'write').map((s) => s.artifact.hostPath);
    lines.push('## Steps, on EVERY control-plane node (each runs its own kube-apiserver), from this folder', '');
    let n = 1;
    if (backups.length > 0) {
      lines.push(
        `${n++}. Back up OUTSIDE /etc/kubernetes/manifests (the kubelet runs every file there as a pod):`,
        '',
        '   ```sh',
        `   mkdir -p ${r.backupDir} && cp -a --parents ${backups.map(q).join(' ')} ${r.backupDir}/`,
        '   ```',
        '',
      );
    }
    lines.push(
      `${n++}. Copy the files in this order. The apiserver manifest comes LAST: the kubelet restarts kube-apiserver as soon as it changes, and the audit files and mounted directories must already exist.`,
      '',
      '   ```sh',
    );
    for (const s of r.steps) lines.push(`   ${command(s.artifact, s.exists)}`);
    lines.push('   ```', '');
    if (r.restart)
      lines.push(`${n++}. kube-apiserver reads these files only at startup, and nothing here restarts it: \`${r.restart}\``, '');
    lines.push(
      `${n++}. Wait for kube-apiserver to come back (\`crictl ps --name kube-apiserver\`), then check: \`prisma-audit doctor\`.`,
      '',
    );
    if (backups.length > 0) lines.push(`${n++}. To roll back: \`cp -a ${r.backupDir}/. /\``, '');
    lines.push('`prisma-audit fix --apply` does all of this on the node it runs on, with the same checks, atomically.', '');
  }
  if (r.durable.length > 0) {
    lines.push('## Make it last', '', 'Upgrades and service restarts regenerate the manifest from its durable source:', '');
    for (const d of r.durable) lines.push(`- \`${d.durable!.fileName}\`: merge into ${d.durable!.mergeInto}.`);
    lines.push('');
  }
  lines.push('## Fixes', '');
  for (const o of r.outcomes) {
    const state = o.refusal ? 'refused' : o.withheld ? 'withheld' : o.artifacts.length === 0 ? 'nothing to change' : 'planned';
    lines.push(`### ${o.id}: ${state}`, '', `Why: ${o.why}.`, '');
    for (const a of o.artifacts) lines.push(`- \`${a.kind === 'write' && a.durable ? a.durable.fileName : a.hostPath}\`: ${a.description}`);
    if (o.withheld) lines.push(`- Not offered: ${o.withheld}`);
    for (const d of o.deferred) lines.push(`- Left as is: ${d}`);
    for (const r of o.remaining) lines.push(`- Still failing after this fix (it cannot change this): ${r}`);
    if (o.refusal) lines.push(`- ${o.refusal.reason}`, ...o.refusal.manualSteps.map((s) => `  - ${s}`));
    lines.push('');
  }
  return lines.join('\n');
}

// manifest-patch: edits the apiserver static-pod manifest in place (yaml Document API, so comments,
// order and the rest of the formatting stay) to turn on the webhook backend safely.
import path from 'node:path';
import { dynamicLeftovers, isAuditRegistrationEntry, isDynamicAuditGate, webhookOptionProblems } from '../../checks/rules.js';
import { LOG_FLAG, locate } from '../../kube/audit-paths.js';
import type { ApiserverConfig, AuditPath } from '../../model/node.js';
import { lastFlag } from '../../parse/flags.js';
import { PodShapeError, readApiserverContainer } from '../../parse/pod.js';
import { durableSnippets } from './durable.js';
import { ContainerFlags } from './flag-items.js';
import { NO_RESTORE, auditLayout, type AuditFileTarget, type AuditLayout, type Restore } from './layout.js';
import { PodVolumes } from './pod-volumes.js';
import type { Artifact, GatheredFacts, GeneratorResult, Refusal, WriteArtifact } from '../types.js';
import { parseForEdit, renderYaml } from './yaml-edit.js';

const LOG_DEFAULT = '/var/log/kubernetes/audit/audit.log';
/** Rotation for the added log: a week, at most 3 x 100 MB, so the control-plane disk cannot fill. */
const LOG_ROTATION: [string, string][] = [
  ['audit-log-maxage', '7'],
  ['audit-log-maxbackup', '3'],
  ['audit-log-maxsize', '100'],
];

const trim = (p: string) => path.posix.normalize(p).replace(/(.)\/+$/, '$1');

function refuse(reason: string, manualSteps: string[]): Refusal {
  return { fix: 'manifest-patch', reason, manualSteps };
}

function handSteps(layout: AuditLayout | null, file: string): string[] {
  const policy = layout?.policy.containerPath ?? '/etc/kubernetes/audit/audit-policy.yaml';
  const webhook = layout?.webhook.containerPath ?? '/etc/kubernetes/audit/audit-webhook.yaml';
  return [
    `In ${file}, give kube-apiserver --audit-policy-file=${policy} and --audit-webhook-config-file=${webhook}.`,
    'Mount the directory holding them: a hostPath volume (type Directory) and a volumeMount at the same path, readOnly: true.',
    'Remove --audit-dynamic-configuration, DynamicAuditing from --feature-gates and auditregistration.k8s.io from --runtime-config; use --audit-webhook-mode=batch.',
    'Keep a backup OUTSIDE the manifests directory before editing: the kubelet runs every file there as a pod.',
  ];
}

/** @param planned host paths other fixes will write: a flag is only pointed at a file that will exist.
 * @param restore orphaned files the missing flags point back at. */
export function manifestPatch(facts: GatheredFacts, planned: ReadonlySet<string>, restore: Restore = NO_RESTORE): GeneratorResult {
  const fact = facts.apiserver;
  if (!fact?.ok)
    return refuse(
      `the apiserver configuration could not be read: ${fact?.error.message ?? 'not gathered'}`,
      handSteps(null, 'the kube-apiserver manifest'),
    );
  const api = fact.value;
  if (api.mode === 'operator-managed') {
    return refuse(`${api.distribution} manages kube-apiserver through its operator; a hand-edited manifest is reverted`, [
      'Use the APIServer resource: oc patch apiserver cluster --type=merge -p \'{"spec":{"audit":{"profile":"WriteRequestBodies"}}}\'',
    ]);
  }
  if (restore.ambiguous.length > 0) {
    return refuse(`the audit flags are gone and more than one file could be restored behind them: ${restore.ambiguous.join(' / ')}`, [
      'Rerun fix on a terminal to choose, or name the file: prisma-audit fix --use FILE (once per flag).',
    ]);
  }
  const layout = auditLayout(api, true, restore);
  if (api.mode === 'host-process') {
    if (api.distribution === 'k3s') {
      const added = [...willExist(facts, layout, planned)]
        .filter((t) => t.changeFlag)
        .map((t) => ({ name: t.flag, value: t.containerPath, line: null, source: 'config' as const }));
      return added.length > 0 ? durableSnippets(api, [...api.flags, ...added], []) : [];
    }
    return refuse(`${api.distribution} keeps its flags in ${api.file}, which this fix does not edit`, [
      `Add --audit-policy-file=${layout.policy.containerPath} and --audit-webhook-config-file=${layout.webhook.containerPath} to ${api.file}, one per line.`,
      'Restart: microk8s stop; microk8s start.',
    ]);
  }
  if (api.flags.some((f) => f.source === 'shell')) {
    return refuse(
      `${api.file} runs kube-apiserver through "/bin/sh -c" with every flag in one string; rewriting a shell script safely is not automated`,
      [
        ...handSteps(layout, api.file),
        'For kops, set spec.kubeAPIServer.auditPolicyFile and auditWebhookConfigFile and supply the files with spec.fileAssets, then roll the control plane.',
      ],
    );
  }
  const edit = parseForEdit(api.text);
  if ('error' in edit) return refuse(`${api.file} does not parse as YAML (${edit.error})`, handSteps(layout, api.file));
  let index: number;
  try {
    index = readApiserverContainer(edit.doc.toJS(), {}).index;
  } catch (err) {
    if (!(err instanceof PodShapeError)) throw err;
    return refuse(`${api.file}: ${err.message}`, handSteps(layout, api.file));
  }
  const containerPath = ['spec', 'containers', index];
  const flags = new ContainerFlags(edit, containerPath);
  const volumes = new PodVolumes(edit, containerPath);
  const auditPaths = facts.auditPaths?.ok ? facts.auditPaths.value : [];
  const changes = [
    ...auditFiles(api, auditPaths, layout, flags, volumes, willExist(facts, layout, planned)),
    ...leftovers(api, flags),
    ...webhookOptions(api, flags),
    ...auditLog(api, flags, volumes),
  ];
  if (changes.length === 0) return [];
  const contents = renderYaml(edit);
  const patched = readApiserverContainer(edit.doc.toJS(), {});
  const artifacts: Artifact[] = [
    { kind: 'write', fix: 'manifest-patch', hostPath: api.file, contents, description: `kube-apiserver manifest: ${changes.join('; ')}` },
    ...relocatedCopies(facts, layout),
  ];
  // Flags the patch dropped must go from the durable configuration too, or the next upgrade brings them back.
  const removed = [...new Set(api.flags.map((f) => f.name))].filter((n) => !patched.flags.some((f) => f.name === n));
  if (api.distribution === 'kubeadm' || api.distribution === 'rke2')
    artifacts.push(...durableSnippets(api, patched.flags, removed, patched));
  return artifacts;
}

/** Targets whose file will be there after the fix: generated, copied, or already readable. */
function willExist(facts: GatheredFacts, layout: AuditLayout, planned: ReadonlySet<string>): Set<AuditFileTarget> {
  const ready = new Set<AuditFileTarget>();
  for (const [t, fact] of [
    [layout.policy, facts.policy],
    [layout.webhook, facts.webhookConfig],
  ] as const) {
    if (planned.has(t.hostPath) || ((t.current !== null || t.restoredFrom !== null) && fact?.ok)) ready.add(t);
  }
  return ready;
}

function auditFiles(
  api: ApiserverConfig,
  auditPaths: AuditPath[],
  layout: AuditLayout,
  flags: ContainerFlags,
  volumes: PodVolumes,
  ready: Set<AuditFileTarget>,
): string[] {
  const changes: string[] = [];
  for (const t of [layout.policy, layout.webhook]) {
    // A flag naming a missing file stops kube-apiserver; leave it for the fix that can write the file.
    if (!t.changeFlag || !ready.has(t)) continue;
    flags.set(t.flag, t.containerPath);
    changes.push(
      t.current
        ? `moved --${t.flag} from ${t.current} to ${t.containerPath}`
        : t.restoredFrom
          ? `restored --${t.flag}=${t.containerPath} (${t.hostPath === t.restoredFrom ? 'the file is still there' : `from ${t.restoredFrom}`})`
          : `added --${t.flag}=${t.containerPath}`,
    );
    const old = t.current ? locate(api, t.current).mapping : null;
    if (t.current && old && trim(old.mountPath) === trim(t.current)) {
      volumes.removeMount(old.mountPath);
      changes.push(`removed the single-file mount "${old.mountName}" of ${t.current}`);
    }
    const leftover = auditPaths.find((p) => p.containerPath === t.current && p.host?.kind === 'directory');
    if (leftover)
      changes.push(`${leftover.hostPath} is a directory a hostPath mount created in place of the file; remove it by hand (rmdir)`);
  }
  const movedIn = [layout.policy, layout.webhook].some(
    (t) => t.changeFlag && ready.has(t) && t.containerPath.startsWith(`${layout.dirContainer}/`),
  );
  if (layout.mountDir && movedIn) {
    volumes.add({ name: 'audit', hostPath: layout.dirHost, mountPath: layout.dirContainer, type: 'Directory', readOnly: true });
    changes.push(`mounted ${layout.dirHost} at ${layout.dirContainer} (hostPath type Directory, read-only)`);
  }
  return changes;
}

function leftovers(api: ApiserverConfig, flags: ContainerFlags): string[] {
  const found = dynamicLeftovers(api.flags);
  if (found.length === 0) return [];
  flags.remove('audit-dynamic-configuration');
  const drop = (keep: (item: string) => boolean) => (value: string) => {
    const items = value.split(',');
    const kept = items.filter(keep);
    if (kept.length === items.length) return value;
    return kept.length > 0 ? kept.join(',') : null;
  };
  flags.rewrite(
    'feature-gates',
    drop((g) => !isDynamicAuditGate(g)),
  );
  flags.rewrite(
    'runtime-config',
    drop((e) => !isAuditRegistrationEntry(e)),
  );
  return found.map((x) => (x.flag === 'audit-dynamic-configuration' ? `removed ${x.item}` : `dropped ${x.item} from --${x.flag}`));
}

function webhookOptions(api: ApiserverConfig, flags: ContainerFlags): string[] {
  const changes: string[] = [];
  for (const p of webhookOptionProblems(api)) {
    if (!p.fatal || !p.flag) continue;
    if (p.flag.name === 'audit-webhook-mode') {
      flags.set('audit-webhook-mode', 'batch');
      changes.push(`--audit-webhook-mode=${p.flag.value ?? ''} -> batch`);
    } else {
      flags.remove(p.flag.name);
      changes.push(`removed --${p.flag.name}=${p.flag.value ?? ''} (invalid; the default applies)`);
    }
  }
  const deprecated = lastFlag(api.flags, 'audit-webhook-batch-initial-backoff');
  if (deprecated) {
    flags.remove(deprecated.name);
    if (!flags.has('audit-webhook-initial-backoff') && deprecated.value) flags.set('audit-webhook-initial-backoff', deprecated.value);
    changes.push('renamed the deprecated --audit-webhook-batch-initial-backoff to --audit-webhook-initial-backoff');
  }
  return changes;
}

/** The log is optional for delivery, but it is the local evidence when events do not arrive; it
 * must sit in a writable directory mount or it dies with the container. */
function auditLog(api: ApiserverConfig, flags: ContainerFlags, volumes: PodVolumes): string[] {
  const changes: string[] = [];
  let logPath = lastFlag(api.flags, LOG_FLAG)?.value || null;
  if (!logPath) {
    logPath = LOG_DEFAULT;
    flags.set(LOG_FLAG, LOG_DEFAULT);
    for (const [name, value] of LOG_ROTATION) if (!flags.has(name)) flags.set(name, value);
    changes.push(`added --${LOG_FLAG}=${LOG_DEFAULT} with rotation (7 days, 3 x 100 MB)`);
  }
  if (logPath === '-') return changes;
  const dir = path.posix.dirname(logPath);
  const mapping = locate(api, logPath).mapping;
  const fileMount = mapping !== null && trim(mapping.mountPath) === trim(logPath);
  if (mapping && !fileMount && mapping.volume?.hostPath && !mapping.readOnly) return changes;
  if (fileMount) {
    volumes.removeMount(mapping.mountPath);
    changes.push(`replaced the single-file mount of ${logPath} by its directory (rotated files were lost with the container)`);
  }
  if (volumes.hasMountAt(dir)) {
    if (volumes.makeWritable(dir)) changes.push(`made the mount at ${dir} writable for the audit log`);
  } else {
    volumes.add({ name: 'audit-log', hostPath: dir, mountPath: dir, type: 'DirectoryOrCreate', readOnly: false });
    changes.push(`mounted ${dir} for the audit log (hostPath type DirectoryOrCreate, writable)`);
  }
  return changes;
}

/** Files moved into the audit directory keep their contents; audit-policy / webhook-kubeconfig,
 * when they run, replace these copies with repaired files. */
function relocatedCopies(facts: GatheredFacts, layout: AuditLayout): WriteArtifact[] {
  const copies: WriteArtifact[] = [];
  for (const [target, fact] of [
    [layout.policy, facts.policy],
    [layout.webhook, facts.webhookConfig],
  ] as const) {
    if (!target.changeFlag || !(target.current ?? target.restoredFrom) || !fact?.ok) continue;
    if (target.hostPath === target.restoredFrom) continue;
    const what = target.restoredFrom ? 'restored' : 'moved';
    copies.push({
      kind: 'write',
      fix: 'manifest-patch',
      hostPath: target.hostPath,
      contents: fact.value.text,
      description: `copy of ${fact.value.path}, ${what} into the mounted audit directory`,
      mode: 0o600,
    });
  }
  return copies;
}

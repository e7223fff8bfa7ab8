// auditOrphans: audit files that no flag references. `kubeadm upgrade`, an RKE2 reconcile or a
// hand-restored manifest drops the flags but leaves the files: finding them lets `fix` restore the
// flags without asking for the webhook URL again. Only paths, the webhook host and hashes are kept
// (the file text holds the URL suffix, a credential).
import { createHash } from 'node:crypto';
import path from 'node:path';
import { BACKUP_DIR, type AuditOrphan, type OrphanRole } from '../../model/node.js';
import type { CollectContext, Collector } from '../collector.js';
import { POLICY_FLAG, WEBHOOK_FLAG, locate } from '../../kube/audit-paths.js';
import { listHostDir, readHostText } from '../../io/host-fs.js';
import { lastFlag } from '../../parse/flags.js';
import { resolveKubeconfig } from '../../parse/kubeconfig.js';
import { parseWebhookUrl } from '../../parse/webhook-url.js';
import { parseYaml } from '../../parse/yaml-file.js';
import { findClusterConfiguration, kubeadmAuditArgs } from '../../kube/kubeadm-config.js';
import { mapContainerPath } from '../../parse/mounts.js';
import { isObj } from '../../parse/json-value.js';

/** Audit files are small; anything bigger is not one and is not read. */
const MAX_SCAN_BYTES = 256 * 1024;
/** Bounds the walk of the tool's backups (one folder per apply). */
const MAX_BACKUP_FILES = 500;
const YAMLISH = /\.(ya?ml|conf|kubeconfig|json)$|^[^.]+$/;

/** What a file is, judged from its contents: an audit policy, a kubeconfig whose current context
 * posts to a Prisma webhook path, or neither. */
export function classifyAuditFile(text: string): { role: OrphanRole; detail: string } | null {
  const parsed = parseYaml(text);
  if (parsed.error || !isObj(parsed.value)) return null;
  const v = parsed.value;
  if (v.kind === 'Policy' && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('audit.k8s.io/')) {
    return { role: 'policy', detail: `audit policy ${v.apiVersion}, ${Array.isArray(v.rules) ? v.rules.length : 0} rule(s)` };
  }
  if (!Array.isArray(v.clusters)) return null;
  const server = resolveKubeconfig(v).server;
  const url = server ? parseWebhookUrl(server) : null;
  if (!url || 'error' in url || url.suffix === null) return null;
  return {
    role: 'webhook-config',
    detail: `webhook kubeconfig posting to ${url.host}${url.port ? `:${url.port}` : ''} (Prisma webhook path)`,
  };
}

interface Source {
  hostPath: string;
  foundBy: string;
}

async function filesIn(root: string, dir: string): Promise<string[]> {
  const entries = await listHostDir(root, dir).catch(() => []);
  return entries.filter((e) => e.stat.kind === 'file' && YAMLISH.test(e.name)).map((e) => path.posix.join(dir, e.name));
}

async function subdirs(root: string, dir: string, match: (name: string) => boolean): Promise<string[]> {
  const entries = await listHostDir(root, dir).catch(() => []);
  return entries.filter((e) => e.stat.kind === 'directory' && match(e.name)).map((e) => path.posix.join(dir, e.name));
}

/** The usual places: /etc/kubernetes and its audit* folders (not manifests/ or pki/: other checks
 * own them), the RKE2/k3s configuration folders and their audit* folders. */
async function usualPlaces(root: string): Promise<Source[]> {
  const out: Source[] = [];
  for (const base of ['/etc/kubernetes', '/etc/rancher/rke2', '/etc/rancher/k3s']) {
    // The audit folders first: a file there is the likelier one to restore.
    const dirs = [...(await subdirs(root, base, (n) => n.startsWith('audit'))), base];
    for (const dir of dirs) for (const f of await filesIn(root, dir)) out.push({ hostPath: f, foundBy: `found in ${dir}` });
  }
  return out;
}

/** The tool's own backups: /var/backups/prisma-audit/<time>/<host path>, newest first. */
async function backups(root: string): Promise<Source[]> {
  const out: Source[] = [];
  const stamps = (await subdirs(root, BACKUP_DIR, () => true)).sort().reverse();
  for (const stamp of stamps) {
    const stack = [stamp];
    while (stack.length > 0 && out.length < MAX_BACKUP_FILES) {
      const dir = stack.pop()!;
      const entries = await listHostDir(root, dir).catch(() => []);
      for (const e of entries) {
        const p = path.posix.join(dir, e.name);
        if (e.stat.kind === 'directory') stack.push(p);
        else if (e.stat.kind === 'file' && YAMLISH.test(e.name) && !p.includes('/manifests/'))
          out.push({ hostPath: p, foundBy: `backup ${path.posix.basename(stamp)} of ${p.slice(stamp.length)}` });
      }
    }
  }
  return out;
}

const auditArgPaths = (args: Record<string, string>) => [args[POLICY_FLAG], args[WEBHOOK_FLAG]].filter((p): p is string => Boolean(p));

/** Files a durable configuration names: RKE2/k3s config.yaml (and config.yaml.d), kubeadm
 * configuration files under /etc/kubernetes, and (cluster mode) kube-system/kubeadm-config. */
async function durableReferences(ctx: CollectContext, kubeadmArgs: ReturnType<typeof kubeadmAuditArgs> | null): Promise<Source[]> {
  const out: Source[] = [];
  const fromKubeadm = (args: ReturnType<typeof kubeadmAuditArgs>, where: string) => {
    const volumes = args.extraVolumes.map((v) => ({ name: v.name, mountPath: v.mountPath, readOnly: true, subPath: null, line: null }));
    const hostVolumes = args.extraVolumes.map((v) => ({
      name: v.name,
      hostPath: v.hostPath,
      hostPathType: '',
      otherKind: null,
      line: null,
    }));
    for (const p of auditArgPaths(args.extraArgs))
      out.push({ hostPath: mapContainerPath(p, volumes, hostVolumes).hostPath ?? p, foundBy: `named by ${where}` });
  };
  if (kubeadmArgs) fromKubeadm(kubeadmArgs, 'kube-system/kubeadm-config (ClusterConfiguration.apiServer.extraArgs)');
  for (const product of ['rke2', 'k3s']) {
    const base = `/etc/rancher/${product}`;
    for (const file of [`${base}/config.yaml`, ...(await filesIn(ctx.root, `${base}/config.yaml.d`))]) {
      const text = await readHostText(ctx.root, file, MAX_SCAN_BYTES)
        .then((r) => r.text)
        .catch(() => null);
      const cfg = text === null ? null : parseYaml(text).value;
      if (!isObj(cfg)) continue;
      const raw = cfg['kube-apiserver-arg'];
      const items = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
      const args = Object.fromEntries(items.map((i) => i.replace(/^--/, '').split(/=(.*)/s).slice(0, 2)));
      if (typeof cfg['audit-policy-file'] === 'string') args[POLICY_FLAG] = cfg['audit-policy-file'];
      for (const p of auditArgPaths(args)) out.push({ hostPath: p, foundBy: `named by ${file}` });
    }
  }
  for (const file of await filesIn(ctx.root, '/etc/kubernetes')) {
    const text = await readHostText(ctx.root, file, MAX_SCAN_BYTES)
      .then((r) => r.text)
      .catch(() => '');
    if (!text.includes('ClusterConfiguration')) continue;
    try {
      const cfg = findClusterConfiguration(text);
      if (cfg) fromKubeadm(kubeadmAuditArgs(cfg), `the kubeadm configuration ${file}`);
    } catch {
      // Not YAML: not a kubeadm configuration.
    }
  }
  return out;
}

export const auditOrphansCollector: Collector<'auditOrphans'> = {
  key: 'auditOrphans',
  deps: ['apiserver'],
  async collect(ctx, deps) {
    const api = await deps.need('apiserver');
    const kubeadm = await deps.fact('kubeadmConfig');
    // The files in use come first, so their copies (in backups) are recognised as copies.
    const inUse: Source[] = [POLICY_FLAG, WEBHOOK_FLAG].flatMap((flag) => {
      const value = lastFlag(api.flags, flag)?.value;
      const host = value ? locate(api, value).hostPath : null;
      return host ? [{ hostPath: host, foundBy: `named by --${flag}` }] : [];
    });
    const referenced = new Set(inUse.map((s) => s.hostPath));
    const sources = [
      ...inUse,
      ...(await durableReferences(ctx, kubeadm.ok ? kubeadm.value.config : null)),
      ...(await usualPlaces(ctx.root)),
      ...(await backups(ctx.root)),
    ];
    const looked = new Set<string>();
    const seenContent = new Map<string, AuditOrphan>();
    const candidates: AuditOrphan[] = [];
    for (const s of sources) {
      if (looked.has(s.hostPath)) continue;
      looked.add(s.hostPath);
      const read = await readHostText(ctx.root, s.hostPath, MAX_SCAN_BYTES).catch(() => null);
      const kind = read ? classifyAuditFile(read.text) : null;
      if (!read || !kind) continue;
      const sha256 = createHash('sha256').update(read.text).digest('hex');
      const same = seenContent.get(sha256);
      // The same bytes elsewhere (a backup of the file in use) are one candidate, found twice.
      if (same) {
        same.copies.push(s.hostPath);
        continue;
      }
      const orphan: AuditOrphan = {
        ...kind,
        hostPath: s.hostPath,
        foundBy: s.foundBy,
        sha256,
        size: read.size,
        referenced: referenced.has(s.hostPath),
        copies: [],
      };
      seenContent.set(sha256, orphan);
      candidates.push(orphan);
    }
    return {
      candidates,
      looked: ['/etc/kubernetes', '/etc/kubernetes/audit*', '/etc/rancher/{rke2,k3s}', BACKUP_DIR, 'kubeadm and RKE2/k3s configuration'],
    };
  },
};

import path from 'node:path';
import type { Check } from './check.js';
import type { Evidence } from '../model/report.js';
import type { ManifestsDirEntry } from '../model/node.js';

const KNOWN_PODS = /^(etcd|kube-apiserver|kube-controller-manager|kube-scheduler|kube-proxy|haproxy|keepalived|kube-vip|kube-addon-manager|etcd-events|etcd-manager-main|etcd-manager-events|kube-apiserver-healthcheck)\.(ya?ml|json|manifest)$/;
const BACKUP = /(\.(bak|backup|orig|old|save|swp|tmp|dpkg-old|dpkg-dist|rpmsave|rpmnew)\d*$|~$|\.(ya?ml|manifest)[._-]\w+$|[._-](bak|backup|orig|old|copy)\d*(\.(ya?ml|manifest))?$)/i;
const AUDIT_FILE = /(audit|policy|webhook)/i;

/** Files in the static-pod directory the kubelet should not see: backups of pod manifests, and
 * audit files dropped there (manifests-dir-cleanup moves the same files). */
export function strayFiles(manifestName: string, entries: ManifestsDirEntry[]) {
  const files = entries.filter((e) => !e.name.startsWith('.') && e.kind === 'file');
  const backups = files.filter((e) => e.name !== manifestName && !KNOWN_PODS.test(e.name) && BACKUP.test(e.name));
  const audit = files.filter((e) => e.name !== manifestName && !backups.includes(e) && !KNOWN_PODS.test(e.name) && AUDIT_FILE.test(e.name));
  return { files, backups, audit };
}

export const manifestsDirClean: Check = {
  id: 'manifests-dir-clean',
  title: 'static-pod directory holds pods only',
  reads: 'the list of files in the static-pod manifest directory',
  needs: ['apiserver', 'manifestsDir'],
  explain: {
    why: 'The kubelet loads every file in the static-pod directory whose name does not start with a dot. A backup such as kube-apiserver.yaml.bak becomes a second apiserver pod; an audit policy or webhook kubeconfig dropped there makes the kubelet log "couldn\'t parse as pod" on every sync.',
    detect: 'Lists the directory of the apiserver manifest and flags backups of pod manifests and audit files by name. Dot-files and directories are ignored by the kubelet and here.',
    fix: 'Move backups and audit files out of the directory (for example to /var/backups/prisma-audit/ and /etc/kubernetes/audit/), or rename them with a leading dot.',
  },
  evaluate(facts) {
    const api = facts.get('apiserver');
    const dir = facts.get('manifestsDir');
    const manifestName = path.posix.basename(api.file);
    const { files, backups, audit } = strayFiles(manifestName, dir.entries);
    const evidence: Evidence[] = [{ message: `${dir.dir}: ${files.map((e) => e.name).join(', ') || '(no files)'}` }];
    for (const e of backups) evidence.push({ message: `backup copy the kubelet loads as a pod: ${e.name}`, file: path.posix.join(dir.dir, e.name) });
    for (const e of audit) evidence.push({ message: `not a pod manifest; the kubelet logs "couldn't parse as pod" for it: ${e.name}`, file: path.posix.join(dir.dir, e.name) });
    const moves = [...backups, ...audit].map((e) => `mv ${path.posix.join(dir.dir, e.name)} /var/backups/prisma-audit/`);
    if (backups.length > 0) {
      const apiserverCopy = backups.some((e) => e.name.startsWith(manifestName.replace(/\.[^.]+$/, '')));
      return {
        status: apiserverCopy ? 'fail' : 'warn',
        summary: `${backups.map((e) => e.name).join(', ')} in ${dir.dir}: the kubelet runs ${apiserverCopy ? 'it as a second kube-apiserver pod' : 'every file there as a pod'}`,
        evidence,
        remediation: { text: 'Move the files out of the static-pod directory; keep backups elsewhere.', commands: ['mkdir -p /var/backups/prisma-audit', ...moves], fix: 'manifests-dir-cleanup' },
      };
    }
    if (audit.length > 0) {
      return {
        status: 'warn',
        summary: `${audit.map((e) => e.name).join(', ')} in ${dir.dir}: the kubelet tries to run it as a pod and logs an error on every sync`,
        evidence,
        remediation: { text: 'Move audit files to their own directory (e.g. /etc/kubernetes/audit) and point the flags and mounts there.', commands: ['mkdir -p /var/backups/prisma-audit', ...moves], fix: 'manifests-dir-cleanup' },
      };
    }
    return { status: 'pass', summary: `${dir.dir} holds only pod manifests (${files.length} files)`, evidence };
  },
};

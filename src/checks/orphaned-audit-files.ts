// orphaned-audit-files: the audit flags are gone but the files they named are still on the node,
// the signature of `kubeadm upgrade` regenerating the manifest from a kubeadm-config that never
// carried them (kubeadm#2157), or of an RKE2/kubespray reconcile.
import type { Check } from './check.js';
import type { Evidence } from '../model/report.js';
import { POLICY_FLAG, WEBHOOK_FLAG } from '../kube/audit-paths.js';
import { configurableApiserver } from './apiserver-flags.js';
import { describeOrphan, restorable } from './rules.js';

export const orphanedAuditFiles: Check = {
  id: 'orphaned-audit-files',
  title: 'audit files still referenced by flags',
  reads: 'the audit directories, /etc/kubernetes, RKE2/k3s config, kubeadm configuration and /var/backups/prisma-audit',
  needs: ['apiserver', 'auditOrphans'],
  explain: {
    why: 'kubeadm upgrade regenerates kube-apiserver.yaml from kube-system/kubeadm-config, and RKE2 from config.yaml: audit flags added by hand disappear while the policy and the webhook kubeconfig stay on disk. Events stop without any error.',
    detect:
      'Reads the files in /etc/kubernetes, /etc/kubernetes/audit*, /etc/rancher/{rke2,k3s} (and their audit* folders), the files named by RKE2/k3s config.yaml, by kubeadm configuration files and (cluster mode) by kubeadm-config, and the backups of prisma-audit fix. A file is an audit policy when it is kind Policy of audit.k8s.io, a webhook kubeconfig when its current context posts to /api/v1/kubernetes/webhook/. Files with the same bytes count once.',
    fix: '`prisma-audit fix --apply` restores --audit-policy-file and --audit-webhook-config-file and the mount pointing at those files (no --webhook-url needed); with several candidates it asks, or takes --use FILE. It also writes the durable form (kubeadm ClusterConfiguration, RKE2 config.yaml) so the next upgrade keeps them.',
  },
  evaluate(facts) {
    const api = configurableApiserver(facts);
    const orphans = facts.get('auditOrphans');
    const missing = restorable(api, orphans);
    const evidence: Evidence[] = [{ message: `looked in ${orphans.looked.join(', ')}` }];
    if (missing.length === 0) {
      const spare = orphans.candidates.filter((c) => !c.referenced);
      for (const c of spare) evidence.push({ message: `not in use: ${describeOrphan(c)}`, file: c.hostPath });
      return {
        status: 'pass',
        summary: `--${POLICY_FLAG} and --${WEBHOOK_FLAG} are set${spare.length ? `; ${spare.length} other audit file(s) are not in use` : ''}`,
        evidence,
      };
    }
    const found = missing.filter((m) => m.candidates.length > 0);
    if (found.length === 0) {
      return {
        status: 'pass',
        summary: `no audit policy or Prisma webhook kubeconfig is left on the node without its flag: nothing to restore`,
        evidence,
      };
    }
    for (const m of found)
      for (const c of m.candidates)
        evidence.push({ message: `--${m.flag} is not set; candidate ${m.what}: ${describeOrphan(c)}`, file: c.hostPath });
    const several = found.filter((m) => m.candidates.length > 1);
    const gone = missing.map((m) => `--${m.flag}`).join(' and ');
    const choose =
      several.length > 0
        ? ` ${several.map((m) => `${m.candidates.length} ${m.what}s`).join(' and ')} were found: fix asks which one on a terminal, or pass --use FILE.`
        : '';
    return {
      status: 'fail',
      summary: `the audit flags are gone but the files are here: an upgrade or reconcile probably dropped them (${gone} not set; ${found.map((m) => `${m.what} ${m.candidates[0]!.hostPath}${m.candidates.length > 1 ? ` and ${m.candidates.length - 1} more` : ''}`).join(', ')})`,
      evidence,
      remediation: {
        text: `Restore ${gone} pointing at these files, with the mount that covers them, and put them into the durable configuration (${api.durableSource ?? 'the source the manifest is generated from'}) so the next upgrade keeps them.${choose}`,
        fix: 'manifest-patch',
      },
    };
  },
};

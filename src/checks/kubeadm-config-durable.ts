// kubeadm-config-durable: `kubeadm upgrade` regenerates the apiserver manifest from
// kubeadm-config, so audit flags and volumes added by hand disappear at the next upgrade.
import type { Check } from './check.js';
import type { Evidence } from '../model/report.js';
import type { ApiserverPod, KubeadmAuditArgs } from '../model/cluster.js';
import { covers } from '../parse/mounts.js';

const KUBEADM_MOUNTS = [
  '/etc/kubernetes/pki',
  '/etc/ssl/certs',
  '/etc/pki',
  '/usr/share/ca-certificates',
  '/usr/local/share/ca-certificates',
  '/etc/ca-certificates',
];
const samePath = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/** What a pod has for auditing that kubeadm-config does not carry. */
export function missingFromKubeadm(pod: ApiserverPod, cfg: KubeadmAuditArgs): string[] {
  if (!pod.config) return [];
  const missing: string[] = [];
  const flags = new Map(pod.config.flags.filter((f) => f.name.startsWith('audit-')).map((f) => [f.name, f.value ?? ''] as const));
  for (const [name, value] of flags) {
    if (cfg.extraArgs[name] === undefined) missing.push(`extraArgs ${name}: ${value}`);
    else if (cfg.extraArgs[name] !== value) missing.push(`extraArgs ${name}: ${value} (kubeadm-config has ${cfg.extraArgs[name]})`);
  }
  for (const p of pod.auditPaths) {
    const m = p.mapping;
    if (!m || !m.volume?.hostPath) continue;
    const hostPath = m.volume.hostPath;
    const kept = cfg.extraVolumes.some((v) => samePath(v.mountPath, m.mountPath) && samePath(v.hostPath, hostPath));
    // kubeadm's own mounts (/etc/kubernetes/pki ...) are regenerated anyway.
    const kubeadmDefault = KUBEADM_MOUNTS.some((d) => covers(d, m.mountPath));
    const entry = `extraVolumes ${m.mountName}: hostPath ${m.volume.hostPath} at ${m.mountPath}`;
    if (!kept && !kubeadmDefault && !missing.includes(entry)) missing.push(entry);
  }
  return missing;
}

export const kubeadmConfigDurable: Check = {
  id: 'kubeadm-config-durable',
  title: 'audit settings survive kubeadm upgrade',
  reads: 'ConfigMap kube-system/kubeadm-config (ClusterConfiguration.apiServer.extraArgs/extraVolumes) and the apiserver pods',
  needs: ['kubeadmConfig', 'clusterApiservers'],
  network: true,
  explain: {
    why: 'kubeadm upgrade (and kubeadm join --control-plane) writes kube-apiserver.yaml from ClusterConfiguration. Audit flags and volumes edited into the manifest by hand are dropped there (kubernetes/kubeadm#2157), and events stop after the upgrade.',
    detect:
      'Compares every --audit-* flag and the volume behind every audit file of each apiserver pod with apiServer.extraArgs (a map up to v1beta3, a list of {name, value} in v1beta4) and apiServer.extraVolumes.',
    fix: 'kubectl -n kube-system edit configmap kubeadm-config and add the flags under apiServer.extraArgs and the volumes under apiServer.extraVolumes (name, hostPath, mountPath, readOnly, pathType).',
  },
  evaluate(facts) {
    const { config, parseError } = facts.get('kubeadmConfig');
    if (parseError) return { status: 'unknown', summary: `kube-system/kubeadm-config: ${parseError}` };
    if (!config) return { status: 'skip', summary: 'no kube-system/kubeadm-config ConfigMap: not a kubeadm cluster' };
    const { pods } = facts.get('clusterApiservers');
    const evidence: Evidence[] = [
      {
        message: `ClusterConfiguration ${config.apiVersion ?? '(no apiVersion)'}: ${Object.keys(config.extraArgs).filter((k) => k.startsWith('audit-')).length} audit extraArgs, ${config.extraVolumes.length} extraVolumes`,
      },
    ];
    const missing = [...new Set(pods.flatMap((p) => missingFromKubeadm(p, config)))];
    if (pods.every((p) => !p.config?.flags.some((f) => f.name.startsWith('audit-')))) {
      return { status: 'skip', summary: 'no apiserver pod has audit flags yet: nothing to keep across upgrades', evidence };
    }
    if (missing.length === 0)
      return { status: 'pass', summary: 'every audit flag and audit volume of the apiservers is in kubeadm-config', evidence };
    for (const m of missing) evidence.push({ message: `not in kubeadm-config: ${m}` });
    const list = config.apiVersion === 'kubeadm.k8s.io/v1beta4' ? 'a list of {name, value}' : 'a map';
    return {
      status: 'warn',
      summary: `${missing.length} audit setting(s) exist only in the manifests and will be dropped by the next kubeadm upgrade: ${missing[0]}${missing.length > 1 ? ' ...' : ''}`,
      evidence,
      remediation: {
        text: `Add them to ClusterConfiguration in kube-system/kubeadm-config: apiServer.extraArgs (${list}) and apiServer.extraVolumes.`,
        commands: ['kubectl -n kube-system edit configmap kubeadm-config'],
      },
    };
  },
};

// The kube-apiserver flags as the checks see them: skip when an operator owns them, where a flag
// lives (file:line, evidence), and how to set one on this distribution so it survives restarts.
import { FactUnavailable, type FactReader } from './check.js';
import type { Evidence } from '../model/report.js';
import type { ApiserverConfig, Flag } from '../model/node.js';

/** The apiserver configuration, or `skip` for operator-managed control planes (OpenShift). */
export function configurableApiserver(facts: FactReader): ApiserverConfig {
  const api = facts.get('apiserver');
  if (api.mode === 'operator-managed') {
    throw new FactUnavailable('apiserver', {
      reason: 'not-applicable',
      message: `${api.distribution}: kube-apiserver flags are managed by the operator, not set by hand (see apiserver-manifest)`,
    });
  }
  return api;
}

/** "file:line" for a flag, or the file alone. */
export function flagLocation(api: ApiserverConfig, flag: Flag | undefined): string {
  return flag?.line ? `${api.file}:${flag.line}` : api.file;
}

export function flagEvidence(api: ApiserverConfig, flag: Flag, message?: string): Evidence {
  return {
    message: message ?? `--${flag.name}${flag.value === null ? '' : `=${flag.value}`}`,
    file: api.file,
    ...(flag.line ? { line: flag.line } : {}),
    flag: `--${flag.name}`,
  };
}

/** How to add or change a flag on this distribution, in the place that survives restarts. */
export function setFlagHowTo(api: ApiserverConfig, name: string, value: string): string {
  switch (api.distribution) {
    case 'rke2':
      return `Add "${name}=${value}" under kube-apiserver-arg: in /etc/rancher/rke2/config.yaml and run systemctl restart rke2-server (the pod manifest ${api.file} is regenerated from it).`;
    case 'k3s':
      return `Add "${name}=${value}" under kube-apiserver-arg: in /etc/rancher/k3s/config.yaml and run systemctl restart k3s.`;
    case 'microk8s':
      return `Add the line --${name}=${value} to ${api.file} and restart: microk8s stop; microk8s start.`;
    case 'kops':
      return `Set it in the kops cluster spec (spec.kubeAPIServer) and roll the control plane; for a quick test add - --${name}=${value} to ${api.file}.`;
    default:
      return `Add - --${name}=${value} to the kube-apiserver command in ${api.file} (the kubelet restarts the apiserver when the file changes). Put the same in ClusterConfiguration.apiServer.extraArgs so kubeadm upgrade keeps it.`;
  }
}

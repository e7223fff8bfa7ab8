// The durable form of the audit setup, for the place each distribution regenerates the manifest
// from: kubeadm's ClusterConfiguration (kube-system/kubeadm-config; `kubeadm upgrade` rewrites the
// manifest from it) and RKE2/k3s config.yaml (read on every service restart).
import { stringify } from 'yaml';
import { inForce } from '../../checks/version-rules.js';
import type { ApiserverConfig, Flag } from '../../model/node.js';
import { mapContainerPath } from '../../parse/mounts.js';
import type { ApiserverContainerSpec } from '../../parse/pod.js';
import type { WriteArtifact } from '../types.js';

interface ExtraVolume {
  name: string;
  hostPath: string;
  mountPath: string;
  readOnly: boolean;
  pathType: string;
}

/** The audit flags as they end up (the last occurrence wins, as in pflag). */
function auditArgs(flags: Flag[]): Map<string, string> {
  const args = new Map<string, string>();
  for (const f of flags) if (f.name.startsWith('audit-') && f.value !== null) args.set(f.name, f.value);
  for (const name of ['feature-gates', 'runtime-config']) {
    const f = flags.filter((x) => x.name === name).pop();
    if (f?.value) args.set(name, f.value);
  }
  return args;
}

function extraVolumes(args: Map<string, string>, pod: ApiserverContainerSpec): ExtraVolume[] {
  const out = new Map<string, ExtraVolume>();
  for (const name of ['audit-policy-file', 'audit-webhook-config-file', 'audit-log-path']) {
    const p = args.get(name);
    if (!p || p === '-') continue;
    const { mapping } = mapContainerPath(p, pod.mounts, pod.volumes);
    const v = mapping?.volume;
    if (!mapping || !v?.hostPath) continue;
    out.set(v.name, {
      name: v.name,
      hostPath: v.hostPath,
      mountPath: mapping.mountPath,
      readOnly: mapping.readOnly,
      pathType: v.hostPathType || 'Directory',
    });
  }
  return [...out.values()];
}

const header = (lines: string[]) => lines.map((l) => `# ${l}\n`).join('');

function kubeadmSnippet(api: ApiserverConfig, args: Map<string, string>, volumes: ExtraVolume[], removed: string[]): WriteArtifact {
  // kubeadm v1beta4 (the default from 1.31) turned extraArgs into a list of {name, value}.
  const v1beta4 = inForce('kubeadm-v1beta4-extra-args', api.kubernetesVersion) === true;
  const extraArgs = v1beta4 ? [...args].map(([name, value]) => ({ name, value })) : Object.fromEntries(args);
  const doc = {
    apiVersion: `kubeadm.k8s.io/${v1beta4 ? 'v1beta4' : 'v1beta3'}`,
    kind: 'ClusterConfiguration',
    apiServer: { extraArgs, extraVolumes: volumes },
  };
  const notes = [
    'Merge into the ClusterConfiguration of ConfigMap kube-system/kubeadm-config (kubectl -n kube-system edit cm kubeadm-config)',
    'so that kubeadm upgrade regenerates kube-apiserver.yaml with the audit setup instead of dropping it.',
    `apiVersion ${v1beta4 ? 'v1beta4 (Kubernetes 1.31+)' : 'v1beta3'}: use the one your kubeadm-config already has.`,
    ...(removed.length > 0 ? [`Also delete from extraArgs: ${removed.join(', ')}`] : []),
  ];
  return {
    kind: 'write',
    fix: 'manifest-patch',
    hostPath: '/kubeadm-clusterconfiguration-snippet.yaml',
    contents: header(notes) + stringify(doc, { indentSeq: false, lineWidth: 0 }),
    description: 'kubeadm ClusterConfiguration snippet (apiServer.extraArgs and extraVolumes) for kube-system/kubeadm-config',
    durable: {
      fileName: 'kubeadm-clusterconfiguration-snippet.yaml',
      mergeInto: 'ConfigMap kube-system/kubeadm-config (ClusterConfiguration)',
    },
  };
}

function rancherSnippet(api: ApiserverConfig, args: Map<string, string>, volumes: ExtraVolume[]): WriteArtifact {
  const product = api.distribution === 'k3s' ? 'k3s' : 'rke2';
  const config = `/etc/rancher/${product}/config.yaml`;
  const doc: Record<string, string[]> = { 'kube-apiserver-arg': [...args].map(([name, value]) => `${name}=${value}`) };
  if (volumes.length > 0) doc['kube-apiserver-extra-mount'] = volumes.map((v) => `${v.hostPath}:${v.mountPath}${v.readOnly ? ':ro' : ''}`);
  const notes = [`Merge into ${config} on every server node, then: systemctl restart ${product}-server`.replace('k3s-server', 'k3s')];
  return {
    kind: 'write',
    fix: 'manifest-patch',
    hostPath: config,
    contents: header(notes) + stringify(doc, { lineWidth: 0 }),
    description: `${product} config.yaml snippet (kube-apiserver-arg${volumes.length ? ', kube-apiserver-extra-mount' : ''})`,
    durable: { fileName: `${product}-config-snippet.yaml`, mergeInto: config },
  };
}

/** @param flags the apiserver flags after the fix. */
export function durableSnippets(api: ApiserverConfig, flags: Flag[], removed: string[], pod?: ApiserverContainerSpec): WriteArtifact[] {
  const args = auditArgs(flags);
  const volumes = pod ? extraVolumes(args, pod) : [];
  if (api.distribution === 'kubeadm') return [kubeadmSnippet(api, args, volumes, removed)];
  if (api.distribution === 'rke2' || api.distribution === 'k3s') return [rancherSnippet(api, args, volumes)];
  return [];
}

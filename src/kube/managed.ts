// Recognises control planes whose apiserver flags are not ours to set: EKS, GKE, AKS (the cloud
// runs the apiserver) and OpenShift (its operator does). Pure.
import type { ManagedControlPlane, ManagedProvider } from '../model/cluster.js';

export interface ManagedSignals {
  server: string;
  gitVersion: string | null;
  /** Labels of (some) nodes; null when listing nodes was refused. */
  nodeLabels: Record<string, string>[] | null;
  /** API group names from discovery; null when refused. */
  apiGroups: string[] | null;
  /** Number of kube-apiserver pods in kube-system; null when unknown. */
  apiserverPods: number | null;
}

const HOSTS: [RegExp, ManagedProvider][] = [
  [/\.eks\.amazonaws\.com(\.cn)?$/i, 'eks'],
  [/\.azmk8s\.io$/i, 'aks'],
  [/\.gke\.goog$/i, 'gke'],
];
const VERSIONS: [RegExp, ManagedProvider][] = [
  [/-eks-/, 'eks'],
  [/-gke\./, 'gke'],
];
const LABELS: [string, ManagedProvider][] = [
  ['eks.amazonaws.com/nodegroup', 'eks'],
  ['eks.amazonaws.com/compute-type', 'eks'],
  ['cloud.google.com/gke-nodepool', 'gke'],
  ['kubernetes.azure.com/cluster', 'aks'],
];

export function detectManaged(s: ManagedSignals): ManagedControlPlane {
  const found: { provider: ManagedProvider; signal: string }[] = [];
  let host = '';
  try {
    host = new URL(s.server).hostname;
  } catch {
    // not a URL: no host signal
  }
  for (const [re, provider] of HOSTS) if (re.test(host)) found.push({ provider, signal: `API server host ${host}` });
  for (const [re, provider] of VERSIONS)
    if (s.gitVersion && re.test(s.gitVersion)) found.push({ provider, signal: `server version ${s.gitVersion}` });
  for (const [label, provider] of LABELS) {
    const count = (s.nodeLabels ?? []).filter((l) => label in l).length;
    if (count > 0) found.push({ provider, signal: `${count} node(s) labelled ${label}` });
  }
  if (s.apiGroups?.includes('config.openshift.io'))
    found.push({ provider: 'openshift', signal: 'API group config.openshift.io is served' });
  const signals = found.map((f) => f.signal);
  if (s.apiserverPods === 0) signals.push('no kube-apiserver pod in kube-system');
  if (s.nodeLabels === null) signals.push('node labels not read (RBAC forbids list nodes)');
  if (s.apiGroups === null) signals.push('API groups not read (discovery refused)');
  return { provider: found[0]?.provider ?? null, signals };
}

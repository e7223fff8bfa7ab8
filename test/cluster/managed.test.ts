import { describe, expect, it } from 'vitest';
import { detectManaged, type ManagedSignals } from '../../src/kube/managed.js';

const base: ManagedSignals = {
  server: 'https://10.0.0.1:6443',
  gitVersion: 'v1.28.2',
  nodeLabels: [{ 'kubernetes.io/os': 'linux' }],
  apiGroups: ['apps', 'rbac.authorization.k8s.io'],
  apiserverPods: 3,
};

describe('detectManaged', () => {
  it.each([
    ['self-managed kubeadm', {}, null],
    ['EKS endpoint', { server: 'https://ABCDEF0123.gr7.us-east-1.eks.amazonaws.com' }, 'eks'],
    ['EKS version string', { gitVersion: 'v1.28.3-eks-4f4795d' }, 'eks'],
    ['EKS node group label', { server: 'https://10.1.1.1', nodeLabels: [{ 'eks.amazonaws.com/nodegroup': 'ng-1' }] }, 'eks'],
    ['AKS endpoint', { server: 'https://myaks-dns-1234.hcp.westeurope.azmk8s.io:443' }, 'aks'],
    ['AKS label', { nodeLabels: [{ 'kubernetes.azure.com/cluster': 'MC_rg_aks_westeurope' }] }, 'aks'],
    [
      'GKE by IP endpoint, version and label',
      { server: 'https://34.1.2.3', gitVersion: 'v1.27.8-gke.1067004', nodeLabels: [{ 'cloud.google.com/gke-nodepool': 'default-pool' }] },
      'gke',
    ],
    ['GKE DNS endpoint', { server: 'https://gke-0123abcd.us-central1.gke.goog' }, 'gke'],
    ['OpenShift API group', { apiGroups: ['apps', 'config.openshift.io'] }, 'openshift'],
    ['no apiserver pods alone is not enough (k3s has none either)', { apiserverPods: 0 }, null],
  ] as [string, Partial<ManagedSignals>, string | null][])('%s', (_name, signals, provider) => {
    expect(detectManaged({ ...base, ...signals }).provider).toBe(provider);
  });

  it('records every signal, including what could not be read', () => {
    const m = detectManaged({
      ...base,
      server: 'https://x.gr7.eu-west-1.eks.amazonaws.com',
      nodeLabels: null,
      apiGroups: null,
      apiserverPods: 0,
    });
    expect(m.signals).toEqual([
      'API server host x.gr7.eu-west-1.eks.amazonaws.com',
      'no kube-apiserver pod in kube-system',
      'node labels not read (RBAC forbids list nodes)',
      'API groups not read (discovery refused)',
    ]);
  });
});

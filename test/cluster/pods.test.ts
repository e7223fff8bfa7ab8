import { describe, expect, it } from 'vitest';
import { apiserverPodsOf, isApiserverPod, readApiserverPod } from '../../src/kube/pods.js';
import { manifestAsPod, podObject } from '../helpers/cluster-facts.js';

describe('isApiserverPod', () => {
  it.each([
    ['component=kube-apiserver', { name: 'kube-apiserver-cp1', labels: { component: 'kube-apiserver', tier: 'control-plane' } }, true],
    ['name prefix without labels (kops)', { name: 'kube-apiserver-ip-10-0-0-1', labels: {} }, true],
    ['name prefix with tier=control-plane', { name: 'kube-apiserver-cp1', labels: { tier: 'control-plane' } }, true],
    ['etcd (tier=control-plane, other name)', { name: 'etcd-cp1', labels: { component: 'etcd', tier: 'control-plane' } }, false],
    ['a lookalike name with another component', { name: 'kube-apiserver-proxy-x', labels: { component: 'haproxy' } }, false],
    ['coredns', { name: 'coredns-abc', labels: { 'k8s-app': 'kube-dns' } }, false],
  ])('%s', (_name, metadata, expected) => {
    expect(isApiserverPod({ metadata })).toBe(expected);
  });
});

describe('readApiserverPod', () => {
  it('builds an ApiserverConfig from the spec and maps audit paths without host facts', () => {
    const pod = readApiserverPod(manifestAsPod('kubeadm-manifests/cks-prep-inline-comments.yaml', 'cp-1'));
    expect(pod.node).toBe('cp-1');
    expect(pod.config?.distribution).toBe('kubeadm');
    expect(pod.config?.file).toBe('pod kube-system/kube-apiserver (node cp-1)');
    expect(pod.config?.flags.find((f) => f.name === 'audit-policy-file')?.value).toBe('/etc/kubernetes/audit/policy.yaml');
    expect(pod.auditPaths.map((p) => [p.role, p.hostPath, p.host])).toEqual([
      ['policy', '/etc/kubernetes/audit/policy.yaml', null],
      ['log', '/etc/kubernetes/audit/logs/audit.log', null],
    ]);
  });

  it('keeps the container state: restarts and why the last attempt ended', () => {
    const pod = readApiserverPod(podObject('cp-1', []));
    expect([pod.phase, pod.restartCount, pod.lastTermination]).toEqual(['Running', 3, 'Error (exit code 1)']);
  });

  it('reports a pod without an apiserver container instead of throwing', () => {
    const pod = readApiserverPod({
      metadata: { name: 'kube-apiserver-x' },
      spec: { nodeName: 'n', containers: [{ name: 'sidecar', command: ['sleep'] }] },
    });
    expect(pod.config).toBeNull();
    expect(pod.error).toBe('no container in spec.containers runs kube-apiserver');
  });

  it('lists only apiserver pods, sorted by node', () => {
    const list = {
      items: [podObject('cp-2', []), { metadata: { name: 'etcd-cp-1', labels: { component: 'etcd' } }, spec: {} }, podObject('cp-1', [])],
    };
    expect(apiserverPodsOf(list).map((p) => p.node)).toEqual(['cp-1', 'cp-2']);
    expect(apiserverPodsOf({ kind: 'Status' })).toEqual([]);
  });
});

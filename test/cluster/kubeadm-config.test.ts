import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findClusterConfiguration, kubeadmAuditArgs } from '../../src/kube/kubeadm-config.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/real-world/kubeadm-config/${name}`, import.meta.url), 'utf8');
const parsed = (name: string) => kubeadmAuditArgs(findClusterConfiguration(fixture(name))!);

describe('kubeadm ClusterConfiguration parser (real-world fixtures)', () => {
  it('reads a ClusterConfiguration embedded as a string in a kind Cluster', () => {
    expect(parsed('kind-embedded-clusterconfig.yaml')).toEqual({
      apiVersion: null,
      extraArgs: {
        'audit-webhook-config-file': '/etc/kubernetes/policies/audit-webhook.yaml',
        'audit-policy-file': '/etc/kubernetes/policies/audit-policy.yaml',
      },
      extraVolumes: [{ name: 'audit-policies', hostPath: '/etc/kubernetes/policies', mountPath: '/etc/kubernetes/policies' }],
    });
  });

  it('reads v1beta4 extraArgs as a list of {name, value} in a multi-document file', () => {
    const cfg = parsed('kubevirtci-v1beta4-list-extraargs.conf');
    expect(cfg.apiVersion).toBe('kubeadm.k8s.io/v1beta4');
    expect(cfg.extraArgs['audit-policy-file']).toBe('/etc/kubernetes/audit/adv-audit.yaml');
    expect(cfg.extraArgs['audit-log-path']).toBe('/var/log/k8s-audit/k8s-audit.log');
    expect(cfg.extraArgs['allow-privileged']).toBe('true');
    expect(cfg.extraVolumes).toContainEqual({ name: 'audit-conf', hostPath: '/etc/kubernetes/audit', mountPath: '/etc/kubernetes/audit' });
  });

  it('splits map keys that hold "=" the way kubeadm renders them (--feature-gates=DynamicAuditing=true)', () => {
    expect(parsed('falco-evolution-dynamic-equals-in-key.yaml')).toEqual({
      apiVersion: 'kubeadm.k8s.io/v1beta2',
      extraArgs: {
        'audit-dynamic-configuration': 'true',
        'feature-gates': 'DynamicAuditing=true',
        'runtime-config': 'auditregistration.k8s.io/v1alpha1=true',
      },
      extraVolumes: [],
    });
  });

  it('reads a log path without a policy file and no extraVolumes', () => {
    const cfg = parsed('cks-at-kind-logpath-without-policy.yaml');
    expect(cfg.extraArgs['audit-policy-file']).toBeUndefined();
    expect(cfg.extraArgs['audit-log-path']).toBeDefined();
    expect(cfg.extraVolumes).toEqual([]);
  });

  it('returns null when there is no ClusterConfiguration, and throws on broken YAML', () => {
    expect(findClusterConfiguration('kind: InitConfiguration\n')).toBeNull();
    expect(() => findClusterConfiguration('apiServer: [\n')).toThrow();
  });

  it('keeps the last entry of a repeated v1beta4 name', () => {
    const cfg = kubeadmAuditArgs({
      apiServer: {
        extraArgs: [
          { name: 'audit-webhook-mode', value: 'blocking' },
          { name: 'audit-webhook-mode', value: 'batch' },
        ],
      },
    });
    expect(cfg.extraArgs['audit-webhook-mode']).toBe('batch');
  });
});

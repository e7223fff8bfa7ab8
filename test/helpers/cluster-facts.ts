// Builds cluster facts the way the collectors do, from pod objects, for check tests.
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { readApiserverPod } from '../../src/kube/pods.js';
import type { ApiserverPod } from '../../src/model/cluster.js';

export const NOW = new Date('2026-11-27T09:00:00Z');

/** A kubeadm-style apiserver mirror pod on `node` with the given command line and volumes. */
export function podObject(
  node: string,
  command: string[],
  audit = { mountPath: '/etc/kubernetes/audit', hostPath: '/etc/kubernetes/audit' },
) {
  return {
    metadata: {
      name: `kube-apiserver-${node}`,
      namespace: 'kube-system',
      labels: { component: 'kube-apiserver', tier: 'control-plane' },
      annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': '10.0.0.1:6443' },
    },
    spec: {
      nodeName: node,
      containers: [
        {
          name: 'kube-apiserver',
          image: 'registry.k8s.io/kube-apiserver:v1.28.2',
          command: ['kube-apiserver', ...command],
          volumeMounts: [{ name: 'audit', mountPath: audit.mountPath, readOnly: true }],
        },
      ],
      volumes: [{ name: 'audit', hostPath: { path: audit.hostPath, type: 'Directory' } }],
    },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'kube-apiserver', restartCount: 3, lastState: { terminated: { reason: 'Error', exitCode: 1 } } }],
    },
  };
}

export const GOOD_FLAGS = [
  '--audit-policy-file=/etc/kubernetes/audit/policy.yaml',
  '--audit-webhook-config-file=/etc/kubernetes/audit/webhook.yaml',
];

export function pod(node: string, command: string[] = GOOD_FLAGS, audit?: { mountPath: string; hostPath: string }): ApiserverPod {
  return readApiserverPod(podObject(node, command, audit));
}

/** A static-pod manifest of the shared real-world fixtures, as the API would list it. */
export function manifestAsPod(file: string, node: string): Record<string, unknown> {
  const value = parse(readFileSync(new URL(`../../fixtures/real-world/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;
  return { ...value, spec: { ...(value.spec as object), nodeName: node } };
}

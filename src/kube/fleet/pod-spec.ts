// The fleet pod for one node, as a plain object for the API: pinned to the node, tolerating its
// taints, on the host network (so the webhook probe leaves from the node's own network), bounded in
// time, read-only everywhere, with no capability but the one that reads root-owned files. Pure.
import { createHash } from 'node:crypto';
import type { ControlPlaneNode, HostMount } from '../../model/fleet.js';

export const MANAGED_BY = {
  'app.kubernetes.io/name': 'prisma-audit',
  'app.kubernetes.io/component': 'fleet-doctor',
  'app.kubernetes.io/managed-by': 'prisma-audit',
};
export const RUN_LABEL = 'prisma-audit.io/run';
export const NODE_ANNOTATION = 'prisma-audit.io/node';
export const CONTAINER = 'doctor';
export const HOST_ROOT = '/host';

export interface PodOptions {
  namespace: string;
  image: string;
  /** Identifies this fleet run: label value on every pod, so one list finds them all. */
  runId: string;
  /** activeDeadlineSeconds: the kubelet ends the pod after this, whatever it is doing. */
  deadlineSeconds: number;
  /** Arguments handed to the doctor besides --root/--output (--only, --skip, --offline, --timeout …). */
  doctorArgs: string[];
}

/** A DNS-1123 name for `node` in this run: readable, and unique even when names are cut short. */
export function podName(node: string, runId: string): string {
  const safe =
    node
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 30) || 'node';
  const hash = createHash('sha256').update(node).digest('hex').slice(0, 6);
  return `prisma-audit-${safe}-${hash}-${runId}`;
}

/** The doctor's command line inside the pod (the image's entrypoint is prisma-audit). */
export function doctorArgs(extra: string[]): string[] {
  return ['doctor', '--root', HOST_ROOT, '--output', 'json-framed', '--fleet-pod', ...extra];
}

/** One toleration per taint (key, value and effect exactly), so the pod stays where it is pinned
 * even under NoExecute; nodeName already bypasses the scheduler's NoSchedule. */
export function tolerationsFor(node: ControlPlaneNode): Record<string, unknown>[] {
  return node.taints.map((t) =>
    t.value ? { key: t.key, operator: 'Equal', value: t.value, effect: t.effect } : { key: t.key, operator: 'Exists', effect: t.effect },
  );
}

export function volumesFor(mounts: HostMount[]): { volumes: Record<string, unknown>[]; volumeMounts: Record<string, unknown>[] } {
  return {
    volumes: mounts.map((m, i) => ({ name: `host-${i}`, hostPath: { path: m.hostPath, type: m.type } })),
    volumeMounts: mounts.map((m, i) => ({
      name: `host-${i}`,
      mountPath: HOST_ROOT + m.hostPath,
      readOnly: true,
      mountPropagation: 'None',
    })),
  };
}

/** The container and pod settings shared by the pod and the Job template. */
export function podSpec(
  node: ControlPlaneNode,
  mounts: HostMount[],
  opts: Omit<PodOptions, 'namespace' | 'runId'>,
): Record<string, unknown> {
  const { volumes, volumeMounts } = volumesFor(mounts);
  return {
    nodeName: node.name,
    hostNetwork: true,
    // The node's own resolver, as the host-network apiserver uses it.
    dnsPolicy: 'Default',
    restartPolicy: 'Never',
    activeDeadlineSeconds: opts.deadlineSeconds,
    terminationGracePeriodSeconds: 0,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    tolerations: tolerationsFor(node),
    securityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: CONTAINER,
        image: opts.image,
        imagePullPolicy: 'IfNotPresent',
        args: doctorArgs(opts.doctorArgs),
        env: [{ name: 'NO_COLOR', value: '1' }],
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '512Mi' } },
        securityContext: {
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          privileged: false,
          // Root-owned files of mode 0600 (the webhook kubeconfig, keys) are read with
          // DAC_READ_SEARCH alone; DAC_OVERRIDE would also allow writing them.
          capabilities: { drop: ['ALL'], add: ['DAC_READ_SEARCH'] },
        },
        volumeMounts,
      },
    ],
    volumes,
  };
}

export function buildPod(
  node: ControlPlaneNode,
  mounts: HostMount[],
  opts: PodOptions,
  name = podName(node.name, opts.runId),
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: opts.namespace,
      labels: { ...MANAGED_BY, [RUN_LABEL]: opts.runId },
      annotations: { [NODE_ANNOTATION]: node.name, 'prisma-audit.io/mounts': mounts.map((m) => m.hostPath).join(',') },
    },
    spec: podSpec(node, mounts, opts),
  };
}

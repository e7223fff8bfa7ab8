// GitOps form of fleet mode (like kube-bench's job.yaml): the namespace, a service account, the
// minimal RBAC, and one Job per control-plane node, as YAML documents to apply through Git. Pure.
import { stringify } from 'yaml';
import { MANAGED_BY, RUN_LABEL, NODE_ANNOTATION, podSpec } from './pod-spec.js';
import type { ControlPlaneNode, HostMount } from '../../model/fleet.js';

/** The label value every Job pod carries, so --collect finds them. */
export const MANIFESTS_RUN = 'manifests';
export const SERVICE_ACCOUNT = 'prisma-audit';

/** What the user (or service account) running `prisma-audit fleet` needs: pods in its namespace,
 * their logs and events, and to read nodes. Listing kube-system pods is optional: it gives the
 * apiserver's own hostPaths, without which the default directories are mounted. */
export function rbacRules(namespace: string): { namespaced: object[]; cluster: object[]; kubeSystem: object[] } {
  return {
    namespaced: [
      { apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'delete'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      { apiGroups: [''], resources: ['events'], verbs: ['list'] },
      { apiGroups: [''], resources: ['namespaces'], resourceNames: [namespace], verbs: ['get'] },
    ],
    cluster: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }],
    kubeSystem: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
  };
}

export interface JobNode {
  node: ControlPlaneNode;
  mounts: HostMount[];
}

function jobName(node: string): string {
  const safe = node
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `prisma-audit-${safe}`.slice(0, 52).replace(/-+$/, '');
}

export function fleetManifests(
  nodes: JobNode[],
  opts: { namespace: string; image: string; deadlineSeconds: number; doctorArgs: string[] },
): string {
  const ns = opts.namespace;
  const labels = MANAGED_BY;
  const rules = rbacRules(ns);
  const subject = [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace: ns }];
  const docs: object[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'privileged' } },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: SERVICE_ACCOUNT, namespace: ns, labels },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'prisma-audit-fleet', namespace: ns, labels },
      rules: rules.namespaced,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'prisma-audit-fleet', namespace: ns, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'prisma-audit-fleet' },
      subjects: subject,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'prisma-audit-fleet-nodes', labels },
      rules: rules.cluster,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'prisma-audit-fleet-nodes', labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'prisma-audit-fleet-nodes' },
      subjects: subject,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'prisma-audit-fleet-apiservers', namespace: 'kube-system', labels },
      rules: rules.kubeSystem,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'prisma-audit-fleet-apiservers', namespace: 'kube-system', labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'prisma-audit-fleet-apiservers' },
      subjects: subject,
    },
    ...nodes.map(({ node, mounts }) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: jobName(node.name), namespace: ns, labels, annotations: { [NODE_ANNOTATION]: node.name } },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: opts.deadlineSeconds,
        ttlSecondsAfterFinished: 86400,
        template: {
          metadata: { labels: { ...labels, [RUN_LABEL]: MANIFESTS_RUN }, annotations: { [NODE_ANNOTATION]: node.name } },
          spec: { ...podSpec(node, mounts, opts), serviceAccountName: SERVICE_ACCOUNT },
        },
      },
    })),
  ];
  const head = [
    '# prisma-audit fleet --print-manifests: apply, wait for the Jobs, then `prisma-audit fleet --collect`.',
    `# The Role and ClusterRole are what \`prisma-audit fleet\` itself needs; bound here to the ServiceAccount ${SERVICE_ACCOUNT}:`,
    '# replace the subjects with the user or group that runs prisma-audit. Each Job runs the doctor on one node,',
    '# read-only, with only the host directories it reads mounted under /host.',
  ];
  return head.join('\n') + '\n' + docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

// How Prisma Cloud collects audit events where the apiserver is not ours to configure (domain.md
// 1.5 and 7): the console polls the cloud's log service instead of receiving a webhook.
import type { ManagedProvider } from '../model/cluster.js';

export const PROVIDER_NAMES: Record<ManagedProvider, string> = {
  eks: 'Amazon EKS',
  gke: 'Google GKE',
  aks: 'Azure AKS',
  openshift: 'OpenShift',
};

const CONSOLE_STEPS =
  'In Prisma Cloud Compute open Defend > Access > Kubernetes, set Kubernetes auditing to Enabled, choose Add settings, pick the provider and a credential from the credentials store. Events appear under Monitor > Events > Kubernetes Audits once a rule is enabled.';

export const MANAGED_GUIDANCE: Record<ManagedProvider, { how: string; enable: string; commands: string[] }> = {
  eks: {
    how: 'Prisma Cloud reads EKS audit events from CloudWatch Logs (polled every 10-15 minutes); no webhook flags can be set on EKS.',
    enable: `Turn on the EKS control-plane log type "audit". ${CONSOLE_STEPS}`,
    commands: ['aws eks update-cluster-config --name <cluster> --logging \'{"clusterLogging":[{"types":["audit"],"enabled":true}]}\''],
  },
  gke: {
    how: 'Prisma Cloud reads GKE audit events from Cloud Logging (Stackdriver, polled every 10 minutes); no webhook flags can be set on GKE.',
    enable: `Give the credential's service account the logging.read scope (or logging.admin, cloud-platform.read-only, cloud-platform); do not add resource.type or timestamp filters. ${CONSOLE_STEPS}`,
    commands: ['gcloud projects add-iam-policy-binding <project> --member serviceAccount:<sa> --role roles/logging.viewer'],
  },
  aks: {
    how: 'Prisma Cloud reads AKS audit events from a Log Analytics workspace (polled every 10-15 minutes); no webhook flags can be set on AKS.',
    enable: `Export the AKS resource-log category "kube-audit" to a Log Analytics workspace (diagnostic setting). ${CONSOLE_STEPS}`,
    commands: [
      'az monitor diagnostic-settings create --name prisma-audit --resource <aks-resource-id> --workspace <workspace-id> --logs \'[{"category":"kube-audit","enabled":true}]\'',
    ],
  },
  openshift: {
    how: 'OpenShift 4 runs kube-apiserver through its operator and supports no audit webhook backend; the old Prisma unsupportedConfigOverrides patch is unsupported and reverted.',
    enable:
      'Set the audit profile on the APIServer resource (spec.audit.profile: Default, WriteRequestBodies or AllRequestBodies) and forward the audit logs; see `prisma-audit explain apiserver-manifest`.',
    commands: ['oc get apiserver cluster -o jsonpath={.spec.audit}'],
  },
};

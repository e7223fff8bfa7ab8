// managed-control-plane: on EKS, GKE, AKS and OpenShift the webhook flags cannot be set; say how
// Prisma Cloud gets audit events there instead. Never a `fail`: missing flags are expected.
import type { Check } from './check.js';
import { MANAGED_GUIDANCE, PROVIDER_NAMES } from '../kube/managed-text.js';

export const managedControlPlane: Check = {
  id: 'managed-control-plane',
  title: 'managed control plane recognised',
  reads: 'API server host, /version, node labels, API groups, apiserver pods (Kubernetes API)',
  needs: ['kubeApi', 'managedControlPlane'],
  network: true,
  explain: {
    why: "EKS, GKE and AKS run kube-apiserver for you and OpenShift runs it through an operator: --audit-webhook-config-file cannot be set there, so the node checks do not apply and Prisma Cloud polls the cloud provider's audit logs instead.",
    detect:
      'Looks at the API server host (*.eks.amazonaws.com, *.azmk8s.io, *.gke.goog), the server version (-eks-, -gke.), node labels (eks.amazonaws.com/nodegroup, cloud.google.com/gke-nodepool, kubernetes.azure.com/cluster), the config.openshift.io API group, and whether kube-apiserver pods exist.',
    fix: 'EKS: enable the control-plane log type "audit" (CloudWatch). GKE: a credential with the logging.read scope (Cloud Logging). AKS: export the "kube-audit" category to Log Analytics. Then Defend > Access > Kubernetes > Add settings in Prisma Cloud Compute.',
  },
  evaluate(facts) {
    const api = facts.get('kubeApi');
    const m = facts.get('managedControlPlane');
    const evidence = [
      {
        message: `API server ${api.server}${api.gitVersion ? ` (${api.gitVersion})` : ''}, context ${api.context ?? '(none)'} from ${api.source}`,
      },
      ...m.signals.map((message) => ({ message })),
    ];
    if (!m.provider)
      return { status: 'pass', summary: 'self-managed control plane: the audit webhook is configured on the apiserver flags', evidence };
    const g = MANAGED_GUIDANCE[m.provider];
    return {
      status: 'warn',
      summary: `${PROVIDER_NAMES[m.provider]}: ${g.how}`,
      evidence,
      remediation: { text: g.enable, commands: g.commands },
    };
  },
};

import type { Check } from './check.js';
import type { Evidence } from '../model/report.js';

const OPENSHIFT_TEXT =
  'OpenShift 4 manages kube-apiserver through its operator and supports no audit webhook backend; only the APIServer resource spec.audit.profile (Default, WriteRequestBodies, AllRequestBodies, None) and custom rules. The old Prisma unsupportedConfigOverrides patch is unsupported and is reverted by the operator.';

export const apiserverManifest: Check = {
  id: 'apiserver-manifest',
  title: 'kube-apiserver configuration found',
  reads: 'the static-pod manifest (kubeadm, kops, RKE2), k3s config.yaml or MicroK8s args file',
  needs: ['apiserver'],
  explain: {
    why: 'Every other check reads the apiserver flags and mounts from this file. Audit files are read by kube-apiserver once, at startup, with the flags of this file.',
    detect:
      'Looks for /etc/kubernetes/manifests/kube-apiserver.yaml (kubeadm, or the kubelet staticPodPath), kube-apiserver.manifest (kops), /var/lib/rancher/rke2/agent/pod-manifests/kube-apiserver.yaml (RKE2), /etc/rancher/k3s/config.yaml (k3s), /var/snap/microk8s/current/args/kube-apiserver (MicroK8s) and the OpenShift kube-apiserver-pod.yaml, under --root. The file is parsed as YAML and the kube-apiserver container is located.',
    fix: 'Run on a control-plane node (or mount its root and pass --root), or name the file with --manifest. A manifest that is not valid YAML stops the kubelet from running the apiserver: fix the reported line. On managed clusters (EKS, GKE, AKS) there is no apiserver on your nodes: enable audit logs in the cloud provider and connect them in Prisma Cloud under Defend > Access > Kubernetes.',
  },
  evaluate(facts) {
    const fact = facts.raw('apiserver');
    if (!fact.ok) {
      if (fact.error.reason === 'parse') {
        return {
          status: 'fail',
          summary: fact.error.message,
          remediation: { text: fact.error.hint ?? 'Fix the manifest so that it is a Pod with one kube-apiserver container.' },
        };
      }
      // not-applicable: a managed control plane, where no node runs the apiserver.
      return {
        status: fact.error.reason === 'not-applicable' ? 'skip' : 'unknown',
        summary: fact.error.message,
        evidence: (fact.error.details ?? []).map((message) => ({ message })),
        remediation: fact.error.hint ? { text: fact.error.hint } : undefined,
      };
    }
    const api = fact.value;
    const evidence: Evidence[] = [
      { message: `distribution: ${api.distribution}`, file: api.file },
      { message: `Kubernetes version: ${api.kubernetesVersion ?? 'unknown (pass --kubernetes-version to judge version-specific rules)'}` },
    ];
    if (api.image) evidence.push({ message: `container ${api.containerName ?? '?'} image ${api.image}` });
    for (const note of api.notes) evidence.push({ message: note });
    for (const other of api.others) evidence.push({ message: `also found: ${other}`, file: other });
    if (api.mode === 'operator-managed') {
      return {
        status: 'warn',
        summary: `OpenShift control plane (${api.file}): audit webhook flags cannot be set here`,
        evidence,
        remediation: {
          text: OPENSHIFT_TEXT,
          commands: [
            'oc get apiserver cluster -o jsonpath={.spec.audit}',
            'oc patch apiserver cluster --type=merge -p \'{"spec":{"audit":{"profile":"WriteRequestBodies"}}}\'',
          ],
        },
      };
    }
    const how =
      api.mode === 'host-process'
        ? `${api.distribution} (kube-apiserver runs on the host, no static pod)`
        : `${api.distribution} static pod, container ${api.containerName ?? '?'}`;
    if (api.others.length > 0) {
      return {
        status: 'warn',
        summary: `several apiserver configurations on this node; judging ${api.file} (${how})`,
        evidence,
        remediation: {
          text: `Pass --manifest to choose another one. Leftover configurations of another distribution may be stale: ${api.others.join(', ')}.`,
        },
      };
    }
    return { status: 'pass', summary: `${api.file}: ${how}`, evidence };
  },
};

// control-plane-consistent: every apiserver of an HA control plane needs the same audit setup;
// a node left out keeps serving requests whose events never reach Prisma Cloud.
import type { Check } from './check.js';
import type { Evidence } from '../model/report.js';
import { differences } from '../kube/consistency.js';

export const controlPlaneConsistent: Check = {
  id: 'control-plane-consistent',
  title: 'audit setup identical on every control-plane node',
  reads: 'audit flags, audit volumeMounts and hostPaths of every kube-apiserver pod (Kubernetes API)',
  needs: ['clusterApiservers'],
  network: true,
  explain: {
    why: 'Each control-plane node runs its own kube-apiserver with its own flags and files. Requests are spread over all of them, so a node without the webhook flags (or with other paths) silently drops its share of audit events.',
    detect:
      'Lists the kube-apiserver pods in kube-system and compares, node by node, every --audit-* flag, the volumeMount and hostPath behind each audit file, and names each node whose value differs from the others.',
    fix: 'Apply the same manifest change and copy the same audit files to every control-plane node (and to kubeadm-config so kubeadm join/upgrade reproduce it).',
  },
  evaluate(facts) {
    const { pods } = facts.get('clusterApiservers');
    const readable = pods.filter((p) => p.config);
    if (readable.length === 0) return { status: 'skip', summary: 'no kube-apiserver pod in kube-system (see control-plane-apiservers)' };
    if (readable.length === 1) return { status: 'pass', summary: `one kube-apiserver (${readable[0]!.node}): nothing to compare` };
    const diffs = differences(readable);
    const nodes = readable.map((p) => p.node).join(', ');
    if (diffs.length === 0)
      return { status: 'pass', summary: `${readable.length} apiservers (${nodes}) have the same audit flags, mounts and paths` };
    const evidence: Evidence[] = diffs.flatMap((d) =>
      d.odd.map((o) => ({
        message: `${o.node}: ${d.setting} = ${o.value}`,
        ...(d.common !== null ? { actual: o.value, expected: d.common } : {}),
      })),
    );
    const oddNodes = [...new Set(diffs.flatMap((d) => d.odd.map((o) => o.node)))];
    const first = diffs[0]!;
    const more = diffs.length > 1 ? ` and ${diffs.length - 1} more difference(s)` : '';
    // With no majority value there is no "odd one out": show what each node has.
    const what =
      first.common !== null
        ? `${first.odd[0]!.node} has ${first.setting} = ${first.odd[0]!.value} (others: ${first.common})`
        : first.odd.map((o) => `${o.node} has ${first.setting} = ${o.value}`).join(', ');
    return {
      status: 'fail',
      summary:
        first.common !== null && oddNodes.length === 1
          ? `${oddNodes[0]} differs from the other apiservers: ${what}${more}`
          : `the apiservers disagree (${oddNodes.join(', ')}): ${what}${more}`,
      evidence,
      remediation: {
        text: `Make ${oddNodes.join(', ')} match: same --audit-* flags, same volumes and volumeMounts, same files on the host. Edit /etc/kubernetes/manifests/kube-apiserver.yaml on each node (the kubelet restarts the apiserver).`,
      },
    };
  },
};

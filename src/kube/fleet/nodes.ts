// Which nodes are control plane: those an apiserver pod runs on (what the API shows is running),
// plus those labelled as control plane (k3s and MicroK8s run the apiserver in a host process, so
// no pod shows it). Pure.
import type { ApiserverPod } from '../../model/cluster.js';
import type { ControlPlaneNode, Taint } from '../../model/fleet.js';
import { isObj, stringOnly, type Obj } from '../../parse/json-value.js';

/** kubeadm ≥ 1.20 and k3s: control-plane; older kubeadm and k3s: master; RKE1: controlplane. */
export const CONTROL_PLANE_LABELS = [
  'node-role.kubernetes.io/control-plane',
  'node-role.kubernetes.io/master',
  'node-role.kubernetes.io/controlplane',
];

function taintsOf(node: Obj): Taint[] {
  const spec = isObj(node.spec) ? node.spec : {};
  return (Array.isArray(spec.taints) ? spec.taints.filter(isObj) : []).map((t) => ({
    key: stringOnly(t.key) ?? '',
    value: stringOnly(t.value),
    effect: stringOnly(t.effect) ?? '',
  }));
}

function readyOf(node: Obj): string | null {
  const status = isObj(node.status) ? node.status : {};
  const ready = (Array.isArray(status.conditions) ? status.conditions.filter(isObj) : []).find((c) => c.type === 'Ready');
  return ready ? (stringOnly(ready.status) ?? null) : null;
}

/** The control-plane nodes, sorted by name; `apiservers` is null when the pods could not be listed. */
export function controlPlaneNodes(nodeList: unknown, apiservers: ApiserverPod[] | null): ControlPlaneNode[] {
  const items = isObj(nodeList) && Array.isArray(nodeList.items) ? nodeList.items.filter(isObj) : [];
  const found = new Map<string, ControlPlaneNode>();
  for (const node of items) {
    const meta = isObj(node.metadata) ? node.metadata : {};
    const name = stringOnly(meta.name);
    if (!name) continue;
    const labels = isObj(meta.labels) ? meta.labels : {};
    const why = CONTROL_PLANE_LABELS.filter((l) => l in labels).map((l) => `labelled ${l}`);
    if (why.length > 0) found.set(name, { name, why, taints: taintsOf(node), ready: readyOf(node), hasNodeObject: true });
  }
  const byName = new Map(items.map((n) => [stringOnly((n.metadata as Obj | undefined)?.name) ?? '', n]));
  for (const pod of apiservers ?? []) {
    if (pod.node === '(not scheduled)') continue;
    const seen = found.get(pod.node);
    const why = `runs kube-apiserver pod ${pod.pod}`;
    if (seen) {
      seen.why.unshift(why);
      continue;
    }
    const node = byName.get(pod.node);
    found.set(
      pod.node,
      node
        ? { name: pod.node, why: [why], taints: taintsOf(node), ready: readyOf(node), hasNodeObject: true }
        : { name: pod.node, why: [why], taints: [], ready: null, hasNodeObject: false },
    );
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

// Reads kube-apiserver mirror pods listed through the API into the same ApiserverConfig the node
// collector builds from the manifest file, so the manifest-level checks judge both alike. Pure.
import type { ApiserverConfig, Distribution } from '../model/node.js';
import { flaggedAuditPaths, locate } from './audit-paths.js';
import { PodShapeError, readApiserverContainer, versionFromImage } from '../parse/pod.js';
import type { ApiserverPod } from '../model/cluster.js';
import { isObj, stringOnly, type Obj } from '../parse/json-value.js';

/** Static-pod apiservers carry component=kube-apiserver (kubeadm, RKE2) or tier=control-plane
 * (older kubeadm, kops); mirror pods are named <container>-<node>. */
export function isApiserverPod(pod: unknown): boolean {
  if (!isObj(pod) || !isObj(pod.metadata)) return false;
  const labels = isObj(pod.metadata.labels) ? pod.metadata.labels : {};
  const name = stringOnly(pod.metadata.name) ?? '';
  if (labels.component === 'kube-apiserver' || labels['k8s-app'] === 'kube-apiserver') return true;
  return name.startsWith('kube-apiserver') && (labels.tier === 'control-plane' || labels.component === undefined);
}

function distributionOf(pod: Obj, image: string | null): Distribution {
  const meta = isObj(pod.metadata) ? pod.metadata : {};
  const annotations = isObj(meta.annotations) ? meta.annotations : {};
  if (Object.keys(annotations).some((k) => k.startsWith('kubeadm.kubernetes.io/'))) return 'kubeadm';
  if (image && /rke2|hardened-kubernetes/.test(image)) return 'rke2';
  if (Object.keys(annotations).some((k) => k.startsWith('kops.k8s.io') || k.startsWith('dns.alpha.kubernetes.io'))) return 'kops';
  return 'unknown';
}

function containerState(pod: Obj): Pick<ApiserverPod, 'phase' | 'restartCount' | 'lastTermination'> {
  const status = isObj(pod.status) ? pod.status : {};
  const statuses = Array.isArray(status.containerStatuses) ? status.containerStatuses.filter(isObj) : [];
  const c = statuses.find((s) => s.name === 'kube-apiserver') ?? statuses[0];
  const last = c && isObj(c.lastState) && isObj(c.lastState.terminated) ? c.lastState.terminated : null;
  return {
    phase: stringOnly(status.phase),
    restartCount: c && typeof c.restartCount === 'number' ? c.restartCount : null,
    lastTermination: last
      ? `${stringOnly(last.reason) ?? 'terminated'}${typeof last.exitCode === 'number' ? ` (exit code ${last.exitCode})` : ''}`
      : null,
  };
}

export function readApiserverPod(pod: Obj): ApiserverPod {
  const meta = isObj(pod.metadata) ? pod.metadata : {};
  const spec = isObj(pod.spec) ? pod.spec : {};
  const name = stringOnly(meta.name) ?? '?';
  const node = stringOnly(spec.nodeName) ?? '(not scheduled)';
  const base = { pod: name, node, ...containerState(pod) };
  let container;
  try {
    container = readApiserverContainer({ ...pod, kind: 'Pod' }, {});
  } catch (err) {
    if (err instanceof PodShapeError) return { ...base, config: null, auditPaths: [], error: err.message };
    throw err;
  }
  const config: ApiserverConfig = {
    distribution: distributionOf(pod, container.image),
    mode: 'static-pod',
    file: `pod kube-system/${name} (node ${node})`,
    // The spec came from the API: there is no file text to patch, only the flags to judge.
    text: '',
    tried: [],
    others: [],
    containerName: container.name,
    image: container.image,
    kubernetesVersion: versionFromImage(container.image),
    flags: container.flags,
    mounts: container.mounts,
    volumes: container.volumes,
    env: container.env,
    durableSource: null,
    notes: ['read through the Kubernetes API: host files behind the mounts cannot be checked from here'],
  };
  // Host facts (stat of the file behind each hostPath) cannot be gathered through the API.
  const auditPaths = flaggedAuditPaths(config).map((w) => ({ ...w, ...locate(config, w.containerPath), host: null, hostDir: null }));
  return { ...base, config, auditPaths, error: null };
}

/** The apiserver pods of a pod list, sorted by node so reports are stable. */
export function apiserverPodsOf(list: unknown): ApiserverPod[] {
  const items = isObj(list) && Array.isArray(list.items) ? list.items.filter(isObj) : [];
  return items
    .filter(isApiserverPod)
    .map(readApiserverPod)
    .sort((a, b) => a.node.localeCompare(b.node) || a.pod.localeCompare(b.pod));
}

// What a bundle copies besides the facts: the tables to extend when a new fact or log is worth
// shipping. Files from facts are the text the checks judged; logs are read from the host.
import path from 'node:path';
import type { FactKey, FactValue } from '../model/facts.js';
import { listHostDir, statHost } from '../io/host-fs.js';

export interface HostText {
  /** Host path (without --root); stored under files/<path>. */
  path: string;
  text: string;
}

type FactFileRow = { [K in FactKey]: { fact: K; files(value: FactValue<K>): HostText[] } }[FactKey];

/** Configuration files, as read by the collectors (already size-capped). */
export const FACT_FILES: FactFileRow[] = [
  { fact: 'apiserver', files: (v) => [{ path: v.file, text: v.text }] },
  { fact: 'policy', files: (v) => [{ path: v.path, text: v.text }] },
  { fact: 'webhookConfig', files: (v) => [{ path: v.path, text: v.text }] },
];

export interface LogSource {
  /** Host paths of the log files (existing or not readable: both are recorded). */
  find(root: string): Promise<string[]>;
}

/** The container logs of a static pod: /var/log/pods/<ns>_<pod>_<uid>/<container>/N.log. */
async function podLogs(root: string, podPrefix: string, container: string): Promise<string[]> {
  const found: string[] = [];
  const pods = await listHostDir(root, '/var/log/pods').catch(() => []);
  for (const pod of pods.filter((p) => p.name.startsWith(podPrefix) && p.stat.kind === 'directory')) {
    const dir = path.posix.join('/var/log/pods', pod.name, container);
    const logs = await listHostDir(root, dir).catch(() => []);
    found.push(...logs.filter((l) => l.name.endsWith('.log') && l.stat.kind !== 'directory').map((l) => path.posix.join(dir, l.name)));
  }
  return found;
}

async function ifPresent(root: string, hostPath: string): Promise<string[]> {
  const st = await statHost(root, hostPath, false);
  return st.kind === 'missing' && st.error?.code === 'ENOENT' ? [] : [hostPath];
}

export const LOG_SOURCES: LogSource[] = [
  // kubeadm, RKE2, kops with containerd: the kubelet's pod log files.
  { find: (root) => podLogs(root, 'kube-system_kube-apiserver-', 'kube-apiserver') },
  // kops (and older installers) also tee the apiserver's output here.
  { find: (root) => ifPresent(root, '/var/log/kube-apiserver.log') },
];

/** Public certificates (PEM CERTIFICATE blocks) anywhere in a fact, such as a probed TLS chain. */
export function certificatesIn(value: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') found.push(...(v.match(/-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g) ?? []));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return [...new Set(found)];
}

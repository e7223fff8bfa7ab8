// kube-apiserver reads its audit files only at startup. A changed manifest makes the kubelet
// restart it; new policy or webhook files alone change nothing until it is restarted by hand.
import type { ApiserverConfig } from '../model/node.js';
import type { Artifact } from './types.js';

/** The restart to run by hand after these changes; null when none is needed (nothing written, or
 * the static-pod manifest changes and the kubelet restarts the apiserver itself). */
export function restartCommand(pending: Artifact[], api: ApiserverConfig | null): string | null {
  if (!api || !pending.some((a) => a.kind === 'write')) return null;
  if (manifestChanges(pending, api)) return null;
  return restartApiserver(api);
}

export function manifestChanges(pending: Artifact[], api: ApiserverConfig): boolean {
  return pending.some((a) => a.kind === 'write' && a.hostPath === api.file && api.mode === 'static-pod');
}

/** How to restart kube-apiserver on this distribution. */
export function restartApiserver(api: ApiserverConfig): string {
  switch (api.distribution) {
    case 'k3s':
      return 'systemctl restart k3s';
    case 'rke2':
      return 'systemctl restart rke2-server';
    case 'microk8s':
      return 'microk8s stop; microk8s start';
    default:
      return 'crictl stop $(crictl ps -q --name kube-apiserver)   # the kubelet starts it again, reading the new files';
  }
}

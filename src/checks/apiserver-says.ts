// What kube-apiserver 1.20 prints before it exits when it cannot read an audit file, by the file's role,
// as measured with the real binary under a real kubelet (test-kubelet). Go's os errors name the path the
// apiserver was given, never the target of a link, so the quote uses the flag's path.
import type { AuditPathRole, ContainerResolution } from '../model/node.js';

type Failure = 'missing' | 'directory' | 'loop';

const GO_ERROR: Record<Failure, { op: string; reason: string }> = {
  missing: { op: 'open', reason: 'no such file or directory' },
  directory: { op: 'read', reason: 'is a directory' },
  loop: { op: 'open', reason: 'too many levels of symbolic links' },
};

export function failureOf(kind: ContainerResolution['kind']): Failure | null {
  if (kind === 'directory') return 'directory';
  if (kind === 'loop') return 'loop';
  if (kind === 'missing' || kind === 'unmounted') return 'missing';
  return null;
}

/** The apiserver's last log line for this file, or null when the role's wording was not measured. */
export function apiserverSays(role: AuditPathRole, containerPath: string, failure: Failure): string | null {
  const { op, reason } = GO_ERROR[failure];
  if (role === 'policy')
    return `Error: loading audit policy file: failed to read file path "${containerPath}": ${op} ${containerPath}: ${reason}`;
  // client-go stats an explicit kubeconfig path before it reads it.
  if (role === 'webhook-config' && failure !== 'directory') return `Error: initializing audit webhook: stat ${containerPath}: ${reason}`;
  // The CA file's wording (webhook-ca) has not been measured yet: say what is wrong, quote nothing.
  return null;
}

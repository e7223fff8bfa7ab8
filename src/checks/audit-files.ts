// audit-files-mounted and audit-files-readable: every file the audit setup names must be visible to
// the apiserver container (a volumeMount covers it) and present on the host behind that mount.
import type { Check } from './check.js';
import type { Evidence, Finding } from '../model/report.js';
import type { AuditPath } from '../model/node.js';
import { configurableApiserver } from './apiserver-flags.js';
import { apiserverSays, failureOf } from './apiserver-says.js';
import { EXIT_FACTS, exitEvidence } from './startup-exit.js';

const ROLE_NAME: Record<AuditPath['role'], string> = {
  policy: 'audit policy',
  'webhook-config': 'webhook kubeconfig',
  log: 'audit log',
  'webhook-ca': 'webhook CA file',
};

function origin(p: AuditPath): Evidence {
  return {
    message: `${ROLE_NAME[p.role]}: ${p.origin}${p.origin.startsWith('--') ? '=' : ': '}${p.containerPath}`,
    file: p.originFile,
    ...(p.originLine ? { line: p.originLine } : {}),
  };
}

function chain(p: AuditPath): string {
  if (!p.mapping) return `${p.containerPath} -> (no volumeMount covers it)`;
  const v = p.mapping.volume;
  const vol = !v
    ? `volume "${p.mapping.mountName}" is not defined`
    : v.hostPath === null
      ? `volume "${v.name}" is a ${v.otherKind} volume`
      : `hostPath ${v.hostPath}${v.hostPathType ? ` (type ${v.hostPathType})` : ''}`;
  return `${p.containerPath} -> volumeMount "${p.mapping.mountName}" at ${p.mapping.mountPath}${p.mapping.subPath ? ` (subPath ${p.mapping.subPath})` : ''} -> ${vol}${p.hostPath ? ` -> host ${p.hostPath}` : ''}`;
}

const dirOf = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';

/** The host files behind audit paths, for Finding.hostPaths: an unmapped path is its own host path. */
const hostPathsOf = (paths: AuditPath[]) => [
  ...new Set(paths.flatMap((p) => [p.hostPath ?? p.containerPath, ...(p.container?.hostPath ? [p.container.hostPath] : [])])),
];

export const auditFilesMounted: Check = {
  id: 'audit-files-mounted',
  title: 'audit files mounted into the apiserver',
  reads: 'audit flag paths, the webhook kubeconfig certificate-authority, volumeMounts and volumes',
  needs: ['apiserver', 'auditPaths'],
  explain: {
    why: 'Paths in --audit-*-file flags and in the webhook kubeconfig are read inside the apiserver container. kubeadm mounts only /etc/kubernetes/pki and the CA directories, not /etc/kubernetes: a file that exists on the host is still "no such file or directory" to the apiserver unless a volumeMount covers it.',
    detect:
      'Maps each path through the deepest covering volumeMount to its volume and hostPath, and shows the chain flag path -> mountPath -> hostPath -> host file.',
    fix: 'Keep the audit files in one directory (e.g. /etc/kubernetes/audit) and mount it: a volume {name: audit, hostPath: {path: /etc/kubernetes/audit, type: Directory}} and a volumeMount {name: audit, mountPath: /etc/kubernetes/audit, readOnly: true}. Mounting the directory is better than single files: editors replace files, and a file bind-mount keeps the old inode.',
  },
  evaluate(facts): Finding {
    const api = configurableApiserver(facts);
    const paths = facts.get('auditPaths');
    if (paths.length === 0)
      return { status: 'skip', summary: 'no audit file is configured (see audit-policy-flag and audit-webhook-flag)' };
    if (api.mode !== 'static-pod') {
      return {
        status: 'pass',
        summary: `${api.distribution} runs kube-apiserver on the host: audit paths are host paths, no mounts needed`,
        evidence: paths.map(origin),
      };
    }
    const evidence: Evidence[] = [];
    const unmounted: AuditPath[] = [];
    const broken: AuditPath[] = [];
    for (const p of paths) {
      evidence.push({ ...origin(p), message: chain(p) });
      if (p.role === 'log') continue; // judged by audit-log-path: the apiserver still runs
      if (!p.mapping) unmounted.push(p);
      else if (!p.mapping.volume) broken.push(p);
    }
    if (broken.length > 0) {
      const p = broken[0]!;
      return {
        status: 'fail',
        summary: `volumeMount "${p.mapping!.mountName}" (for ${p.containerPath}) names no volume in spec.volumes: the kubelet will not create the apiserver pod`,
        evidence,
        hostPaths: hostPathsOf([p]),
        remediation: {
          text: `Add a volume named "${p.mapping!.mountName}" with hostPath.path set to the host directory holding the audit files.`,
          fix: 'manifest-patch',
        },
      };
    }
    if (unmounted.length > 0) {
      const list = unmounted.map((p) => p.containerPath).join(', ');
      const first = unmounted[0]!;
      // Prefer a directory that is already mounted for the other audit files over a new mount.
      const mounted = paths.find((p) => p.role !== 'log' && p.mapping?.volume?.hostPath);
      const text = mounted
        ? `Move ${list} into ${dirOf(mounted.containerPath)} (already mounted as "${mounted.mapping!.mountName}") on the host and point the flag there, or mount its directory.`
        : dirOf(first.containerPath) === '/etc/kubernetes'
          ? `Move the audit files into /etc/kubernetes/audit/ and mount that directory (hostPath type Directory, volumeMount at the same path, readOnly: true). Do not mount all of /etc/kubernetes: it holds admin credentials.`
          : `Mount the host directory into the pod: a hostPath volume for ${dirOf(first.containerPath)} (type Directory) and a volumeMount at the same path, readOnly: true.`;
      return {
        status: 'fail',
        summary: `no volumeMount covers ${list}: kube-apiserver will fail with "${apiserverSays(first.role, first.containerPath, 'missing') ?? `stat ${first.containerPath}: no such file or directory`}" even if the file exists on the host`,
        evidence,
        hostPaths: hostPathsOf(unmounted),
        remediation: { text, fix: 'manifest-patch' },
      };
    }
    const other = paths.find((p) => p.role !== 'log' && p.mapping?.volume && p.hostPath === null);
    if (other) {
      return {
        status: 'warn',
        summary: `${other.containerPath} comes from a ${other.mapping!.volume!.otherKind} volume, not a hostPath: its contents cannot be checked from the node`,
        evidence,
      };
    }
    return {
      status: 'pass',
      summary: `every audit file is on a volumeMount (${paths.filter((p) => p.role !== 'log').length} checked)`,
      evidence,
    };
  },
};

/** What the kubelet does with a hostPath type when the host path is missing or of the wrong kind. */
function hostPathProblem(p: AuditPath): { status: 'fail' | 'warn'; text: string } | null {
  const host = p.host;
  if (!host || !p.hostPath) return null;
  const type = p.mapping?.volume?.hostPathType ?? '';
  const fileMount = p.mapping !== null && p.mapping.mountPath.replace(/\/+$/, '') === p.containerPath.replace(/\/+$/, '');
  const wantFile = p.role !== 'log';
  if (host.kind === 'missing') {
    if (p.role === 'log') {
      const dirMissing = p.hostDir?.kind === 'missing';
      if (fileMount && type === 'File')
        return {
          status: 'fail',
          text: `the log file ${p.hostPath} does not exist and its hostPath type is File: hostPath type check failed, the pod will not start`,
        };
      if (dirMissing && type === 'Directory')
        return {
          status: 'fail',
          text: `the log directory of ${p.hostPath} does not exist and its hostPath type is Directory: the pod will not start`,
        };
      return null;
    }
    if (fileMount && (type === '' || type === 'DirectoryOrCreate')) {
      return {
        status: 'fail',
        text: `${p.hostPath} does not exist; hostPath type ${type || '(none)'} makes the kubelet create a DIRECTORY there, and kube-apiserver then fails with "read ${p.containerPath}: is a directory"`,
      };
    }
    if (fileMount && type === 'FileOrCreate') {
      return {
        status: 'fail',
        text: `${p.hostPath} does not exist; hostPath type FileOrCreate makes the kubelet create an EMPTY file, which kube-apiserver then rejects`,
      };
    }
    if (fileMount && type === 'File')
      return {
        status: 'fail',
        text: `${p.hostPath} does not exist and its hostPath type is File: "hostPath type check failed", the apiserver pod will not start`,
      };
    return {
      status: 'fail',
      text: `${p.hostPath} does not exist on the host${p.hostPathAssumed ? ' (and no volumeMount covers it)' : ''}: kube-apiserver exits with "no such file or directory"`,
    };
  }
  if (wantFile && host.kind === 'directory') {
    return {
      status: 'fail',
      text: `${p.hostPath} is a directory, not a file (what a DirectoryOrCreate or untyped hostPath leaves behind): kube-apiserver fails with "read ${p.containerPath}: is a directory"`,
    };
  }
  if (wantFile && host.kind === 'other') return { status: 'fail', text: `${p.hostPath} is not a regular file` };
  if (wantFile && host.size === 0) {
    return {
      status: 'fail',
      text: `${p.hostPath} is empty (a FileOrCreate hostPath creates it so): ${p.role === 'policy' ? 'kube-apiserver rejects a policy with no rules' : 'an empty kubeconfig gives "no configuration has been provided"'}`,
    };
  }
  if (fileMount && type === 'Directory' && host.kind === 'file')
    return {
      status: 'fail',
      text: `${p.hostPath} is a file but its hostPath type is Directory: "hostPath type check failed: ${p.hostPath} is not a directory"`,
    };
  if (!fileMount && type === 'File')
    return {
      status: 'fail',
      text: `volume "${p.mapping?.mountName}" mounts a directory but its hostPath type is File: "hostPath type check failed: ... is not a file"`,
    };
  if (fileMount && type === 'FileOrCreate' && wantFile)
    return {
      status: 'warn',
      text: `hostPath type FileOrCreate on ${p.hostPath}: if the file is ever missing the kubelet creates an empty one instead of failing fast; use type File`,
    };
  if (fileMount && type === 'DirectoryOrCreate' && wantFile)
    return {
      status: 'warn',
      text: `hostPath type DirectoryOrCreate on the file ${p.hostPath}: if the file is ever missing the kubelet creates a directory in its place; use type File`,
    };
  return null;
}

/** The container's view of a file the apiserver must read (policy, webhook kubeconfig, CA file). */
function containerProblem(p: AuditPath): { status: 'fail' | 'warn'; text: string } | null {
  const c = p.container!;
  // A path no volumeMount covers at all is audit-files-mounted's finding; one cause, one failure.
  if (!c.first) return null;
  const failure = failureOf(c.kind);
  if (failure) {
    const says = apiserverSays(p.role, p.containerPath, failure);
    const where = c.chain.length > 0 ? `${p.containerPath} leads to ${c.resolvedPath}, and ` : '';
    const why =
      c.kind === 'directory'
        ? `${c.resolvedPath} is a directory (host ${c.hostPath ?? '?'})`
        : (c.problem ?? `${c.brokenAt} does not exist in the container`);
    return {
      status: 'fail',
      text: `${where}${why}: ${says ? `kube-apiserver exits with "${says}"` : `kube-apiserver cannot read ${p.containerPath}`}`,
    };
  }
  if (c.kind === 'refused' || c.kind === 'escape' || c.kind === 'no-volume' || c.kind === 'error') {
    return { status: 'fail', text: `${c.problem} (${p.containerPath}; see apiserver-volumes)` };
  }
  if (c.kind === 'other') return { status: 'fail', text: `${c.resolvedPath} is not a regular file (host ${c.hostPath})` };
  if (c.kind === 'file' && c.host?.size === 0) {
    return {
      status: 'fail',
      text: `${c.hostPath} is empty (a FileOrCreate hostPath creates it so): ${p.role === 'policy' ? 'kube-apiserver rejects a policy with no rules' : 'an empty kubeconfig gives "no configuration has been provided"'}`,
    };
  }
  // The kind is right today; the type decides what happens the day it is missing.
  const problem = hostPathProblem(p);
  return problem?.status === 'warn' ? problem : null;
}

/** Evidence lines for the container walk: the mount, each link, where it ends. */
function walkEvidence(p: AuditPath): Evidence[] {
  const c = p.container!;
  const lines = c.chain.map((link) => ({ ...origin(p), message: `link in the container: ${link}` }));
  const end = c.hostPath ? `host ${c.hostPath}` : 'no host file';
  const seen = c.host
    ? `${c.host.kind}${c.host.size !== null ? `, ${c.host.size} bytes` : ''}${c.host.readable === false ? ', not readable by this user' : ''}`
    : c.kind;
  lines.push({
    ...origin(p),
    message: `in the container ${c.resolvedPath}${c.mapping ? ` (volumeMount "${c.mapping.mountName}"${c.mapping.readOnly ? ', read-only' : ''})` : ''} -> ${end}: ${seen}${c.problem ? ` (${c.problem})` : ''}`,
  });
  return lines;
}

export const auditFilesReadable: Check = {
  id: 'audit-files-readable',
  title: 'audit files present on the host',
  reads: 'the host files behind each audit path (stat and open under --root)',
  needs: ['apiserver', 'auditPaths', ...EXIT_FACTS],
  explain: {
    why: 'A mounted path is only useful when the host file exists, is a regular file and is not empty. The hostPath type decides what happens when it is not: File/Directory fail fast, FileOrCreate creates an empty file, DirectoryOrCreate and no type create a directory, which kube-apiserver later reports as "is a directory" or an empty config.',
    detect:
      'Stats each mapped host path under --root (symlinks followed inside the root), checks the kind and size, tries to open it for reading, and compares with the hostPath type.',
    fix: 'Copy the files to the host directory on every control-plane node (scp/rsync), remove directories left where files belong (rmdir), and use hostPath type Directory for the audit directory or File for single files.',
  },
  evaluate(facts): Finding {
    configurableApiserver(facts);
    const paths = facts.get('auditPaths');
    if (paths.length === 0)
      return { status: 'skip', summary: 'no audit file is configured (see audit-policy-flag and audit-webhook-flag)' };
    const evidence: Evidence[] = [];
    const problems: { status: 'fail' | 'warn'; text: string; path: AuditPath }[] = [];
    const unreadable: string[] = [];
    for (const p of paths) {
      if (p.container && p.role !== 'log' && p.container.kind !== 'not-hostpath') {
        evidence.push(...walkEvidence(p));
        const problem = containerProblem(p);
        if (problem) problems.push({ ...problem, path: p });
        else if (p.container.kind === 'file' && p.container.host?.readable === false) unreadable.push(p.container.hostPath!);
        continue;
      }
      if (!p.host || !p.hostPath) {
        evidence.push({ ...origin(p), message: `${p.containerPath}: not a hostPath volume, cannot be checked on the node` });
        continue;
      }
      const h = p.host;
      const resolved = h.resolved ? ` (symlink to ${h.resolved})` : '';
      evidence.push({
        ...origin(p),
        message: `host ${p.hostPath}${resolved}: ${h.kind}${h.size !== null ? `, ${h.size} bytes` : ''}${h.readable === false ? ', not readable by this user' : ''}`,
      });
      const problem = hostPathProblem(p);
      if (problem) problems.push({ ...problem, path: p });
      else if (h.readable === false && p.role !== 'log') unreadable.push(p.hostPath);
      else if (h.kind === 'other' && h.error) unreadable.push(`${p.hostPath} (${h.error.message})`);
    }
    const fail = problems.find((p) => p.status === 'fail');
    if (fail)
      return {
        status: 'fail',
        summary: fail.text,
        evidence: [...evidence, ...exitEvidence(facts, 'audit-files-readable')],
        hostPaths: hostPathsOf([fail.path]),
        remediation: {
          text: 'Put the file in place on the host (on every control-plane node), replace any directory created in its place, and prefer hostPath type Directory/File so a missing file fails fast.',
          fix: 'manifest-patch',
        },
      };
    if (unreadable.length > 0) {
      return {
        status: 'unknown',
        summary: `cannot read ${unreadable.join(', ')} as this user (kube-apiserver runs as root and may well read it)`,
        evidence,
        remediation: { text: 'Run prisma-audit as root (sudo) to check these files.' },
      };
    }
    const warn = problems.find((p) => p.status === 'warn');
    if (warn)
      return {
        status: 'warn',
        summary: warn.text,
        evidence,
        remediation: {
          text: 'Use hostPath type Directory (for the directory) or File so that a missing file fails fast instead of leaving junk behind.',
          fix: 'manifest-patch',
        },
      };
    return {
      status: 'pass',
      summary: `every audit file exists on the host, is a non-empty regular file and is readable (${paths.filter((p) => p.role !== 'log').length} checked)`,
      evidence,
    };
  },
};

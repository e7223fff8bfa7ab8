// apiserver-volumes: every volume of the apiserver pod as the kubelet 1.20 judges it before it creates the
// pod: pod validation (unknown volume names, hostPath types, subPaths) and the hostPath type check of
// pkg/volume/hostpath. One refused volume keeps the whole apiserver down, whatever it is for.
import type { Check } from './check.js';
import type { Evidence, Finding } from '../model/report.js';
import type { ApiserverConfig, Volume, VolumeHost } from '../model/node.js';

const TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];
const NOT_A: Record<string, string> = {
  Directory: 'a directory',
  DirectoryOrCreate: 'a directory',
  File: 'a file',
  FileOrCreate: 'a file',
  Socket: 'a socket file',
  CharDevice: 'a character device',
  BlockDevice: 'a block device',
};

interface Refusal {
  /** The kubelet's own words. */
  says: string;
  /** "never created": the kubelet retries the mount; "invalid": it does not even read the manifest as a pod. */
  how: 'mount' | 'invalid';
  fix: string;
  at: Evidence;
}

const at = (api: ApiserverConfig, line: number | null, message: string): Evidence => ({
  message,
  file: api.file,
  ...(line ? { line } : {}),
});

/** Pod validation (the kubelet validates static pods like the API server): the manifest is skipped. */
function invalid(api: ApiserverConfig): Refusal[] {
  const out: Refusal[] = [];
  const names = new Set(api.volumes.map((v) => v.name));
  api.mounts.forEach((m, i) => {
    const field = `spec.containers[0].volumeMounts[${i}]`;
    if (!names.has(m.name)) {
      out.push({
        says: `${field}.name: Not found: "${m.name}"`,
        how: 'invalid',
        fix: `Add a volume named "${m.name}" to spec.volumes, or fix the name of the volumeMount.`,
        at: at(api, m.line, `volumeMount "${m.name}" at ${m.mountPath}`),
      });
    }
    const sub = m.subPath;
    if (sub && (sub.startsWith('/') || sub.split('/').includes('..'))) {
      const why = sub.startsWith('/') ? 'must be a relative path' : "must not contain '..'";
      out.push({
        says: `${field}.subPath: Invalid value: "${sub}": ${why}`,
        how: 'invalid',
        fix: `Give subPath as a path inside volume "${m.name}" (no leading /, no ..), or mount the other directory as its own hostPath volume.`,
        at: at(api, m.line, `volumeMount "${m.name}" subPath ${sub}`),
      });
    }
  });
  api.volumes.forEach((v, i) => {
    if (v.hostPath !== null && !TYPES.includes(v.hostPathType)) {
      const supported = TYPES.map((t) => `"${t}"`).join(', ');
      out.push({
        says: `spec.volumes[${i}].hostPath.type: Unsupported value: "${v.hostPathType}": supported values: ${supported}`,
        how: 'invalid',
        fix: `Use one of the hostPath types (Directory, File, DirectoryOrCreate, FileOrCreate ...); they are case-sensitive.`,
        at: at(api, v.line, `volume "${v.name}" hostPath ${v.hostPath} type ${v.hostPathType}`),
      });
    }
  });
  return out;
}

/** pkg/volume/hostpath checkType, on what the node has now. */
function typeCheck(api: ApiserverConfig, v: Volume, host: VolumeHost): Refusal | null {
  const type = v.hostPathType;
  const kind = host.stat.kind;
  const ev = at(
    api,
    v.line,
    `volume "${v.name}": hostPath ${v.hostPath}${type ? ` type ${type}` : ''} -> ${kind}${host.stat.resolved ? ` (links to ${host.stat.resolved})` : ''}`,
  );
  if (type === '' || !TYPES.includes(type)) return null;
  if (type === 'DirectoryOrCreate' && kind === 'missing') return null; // created, mode 0755
  if (type === 'FileOrCreate' && kind === 'missing') {
    if (host.parent.kind === 'directory') return null; // created empty, mode 0644
    return {
      says: `open ${v.hostPath}: no such file or directory`,
      how: 'mount',
      fix: `FileOrCreate does not create directories: create ${parentOf(v.hostPath!)} on the node, or put the file there.`,
      at: ev,
    };
  }
  const wantDir = type === 'Directory' || type === 'DirectoryOrCreate';
  const wantFile = type === 'File' || type === 'FileOrCreate';
  const ok = (wantDir && kind === 'directory') || (wantFile && kind === 'file') || (!wantDir && !wantFile && kind === 'other');
  if (ok) return null;
  const fix =
    kind === 'missing'
      ? `Create ${v.hostPath} on the node (${wantDir ? `mkdir -p ${v.hostPath}` : 'copy the file there'}) on every control-plane node${wantDir ? ', or use type DirectoryOrCreate' : ''}.`
      : `${v.hostPath} is a ${kind} on the node: ${wantFile && kind === 'directory' ? 'remove the directory (rmdir) and put the file there' : `change the volume's type to match it, or replace it with ${NOT_A[type]}`}.`;
  return { says: `hostPath type check failed: ${v.hostPath} is not ${NOT_A[type]}`, how: 'mount', fix, at: ev };
}

const parentOf = (p: string) => p.replace(/\/+$/, '').slice(0, p.replace(/\/+$/, '').lastIndexOf('/')) || '/';

export const apiserverVolumes: Check = {
  id: 'apiserver-volumes',
  title: 'every apiserver volume accepted by the kubelet',
  reads: 'spec.volumes and volumeMounts of the apiserver pod, and what the node has at each hostPath',
  needs: ['apiserver', 'volumeHosts'],
  explain: {
    why: 'Before it creates the apiserver pod, the kubelet validates the manifest (volume names, hostPath types, subPaths) and checks each hostPath against its type. One refused volume, audit or not, keeps the whole apiserver down: no container is created, no pod log is written, and the kubelet only logs "MountVolume.SetUp failed ... hostPath type check failed: <path> is not a file" and, two minutes later, "Unable to attach or mount volumes".',
    detect:
      'Validates every volumeMount and volume as the kubelet does, then applies the hostPath type check (File, Directory, FileOrCreate, DirectoryOrCreate, Socket, CharDevice, BlockDevice) to what the node has at each mounted hostPath, following host links inside --root.',
    fix: 'Create what the type demands on every control-plane node (mkdir -p for directories, copy files), or change the type: DirectoryOrCreate for directories the apiserver may create, File only for files that are always there.',
  },
  evaluate(facts): Finding {
    const api = facts.get('apiserver');
    if (api.mode !== 'static-pod')
      return { status: 'skip', summary: `${api.distribution} runs kube-apiserver on the host: no pod volumes` };
    const hosts = facts.get('volumeHosts');
    const refusals = invalid(api);
    const evidence: Evidence[] = [];
    for (const h of hosts) {
      const v = api.volumes.find((x) => x.name === h.name)!;
      const r = typeCheck(api, v, h);
      if (r) refusals.push(r);
      else
        evidence.push(
          at(
            api,
            v.line,
            `volume "${v.name}": hostPath ${v.hostPath}${v.hostPathType ? ` type ${v.hostPathType}` : ''} -> ${h.stat.kind} on the node`,
          ),
        );
    }
    if (refusals.length === 0)
      return { status: 'pass', summary: `the kubelet accepts all ${hosts.length} hostPath volume(s) of the apiserver pod`, evidence };
    const first = refusals[0]!;
    const summary =
      first.how === 'invalid'
        ? `the kubelet does not run ${api.file}: "couldn't parse as pod(invalid pod: [${first.says}])": the apiserver pod is never created`
        : `the kubelet will not create the apiserver pod: "MountVolume.SetUp failed ... : ${first.says}"${refusals.length > 1 ? ` (and ${refusals.length - 1} more)` : ''}`;
    return {
      status: 'fail',
      summary,
      evidence: [...refusals.map((r) => ({ ...r.at, message: `${r.at.message}: ${r.says}` })), ...evidence],
      remediation: { text: refusals.map((r) => r.fix).join(' ') },
    };
  },
};

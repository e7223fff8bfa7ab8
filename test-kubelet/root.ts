// Writes the cases into one node root (files, links, modes, one manifest per case) and watches what the
// real kubelet makes of them: /healthz on each case's port, the pod log directories and the kubelet's log.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { generateKeyPairSync } from 'node:crypto';
import { dirname, join } from 'node:path';
import { Agent, request } from 'undici';
import { stringify } from 'yaml';
import type { Case, Entry, Outcome, RenderedCase } from './cases.js';
import { APISERVER_IMAGE, NODE_NAME } from './node.js';

const insecure = new Agent({ connect: { rejectUnauthorized: false } });

export const manifestPath = (id: string) => `/etc/kubernetes/manifests/apiserver-${id}.yaml`;

/** `node`: the node the kubelet runs as (the pod is named after it). */
export function renderCase(c: Case, port: number, etcd: string, node = NODE_NAME): RenderedCase {
  const name = `kube-apiserver-${c.id}`;
  const render = (o: { name?: string; port?: number; flags?: Record<string, string> } = {}) => {
    const flags = {
      'advertise-address': '127.0.0.1',
      'bind-address': '127.0.0.1',
      'secure-port': String(o.port ?? port),
      'insecure-port': '0',
      'cert-dir': '/tmp/serving-certs',
      'etcd-servers': etcd,
      'etcd-prefix': `/registry-${c.id}`,
      'service-account-key-file': '/etc/kubernetes/pki/sa.pub',
      'service-account-signing-key-file': '/etc/kubernetes/pki/sa.key',
      'service-account-issuer': 'https://kubernetes.default.svc',
      'service-cluster-ip-range': '10.96.0.0/24',
      'authorization-mode': 'AlwaysAllow',
      'enable-priority-and-fairness': 'false',
      ...(o.flags ?? c.flags),
    };
    const volumes = [
      { name: 'k8s-certs', hostPath: '/etc/kubernetes/pki', type: 'DirectoryOrCreate', mountPath: '/etc/kubernetes/pki', readOnly: true },
      ...c.volumes,
    ];
    return stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: o.name ?? name, namespace: 'kube-system', labels: { component: 'kube-apiserver', tier: 'control-plane' } },
      spec: {
        hostNetwork: true,
        priorityClassName: 'system-node-critical',
        containers: [
          {
            name: 'kube-apiserver',
            image: APISERVER_IMAGE,
            imagePullPolicy: 'Never',
            command: ['kube-apiserver', ...Object.entries(flags).map(([k, v]) => `--${k}=${v}`)],
            volumeMounts: volumes.map((v) => ({
              name: v.name,
              mountPath: v.mountPath,
              ...(v.readOnly ? { readOnly: true } : {}),
              ...(v.subPath ? { subPath: v.subPath } : {}),
            })),
          },
        ],
        volumes: volumes.map((v) => ({ name: v.name, hostPath: { path: v.hostPath, ...(v.type ? { type: v.type } : {}) } })),
      },
    });
  };
  return { c, port, etcd, manifestName: `apiserver-${c.id}.yaml`, podName: `${name}-${node}`, render };
}

async function put(root: string, rel: string, entry: Entry, modes: [string, number][]): Promise<void> {
  const at = join(root, rel);
  await mkdir(dirname(at), { recursive: true });
  if (typeof entry === 'string') await writeFile(at, entry);
  else if ('link' in entry) await symlink(entry.link, at);
  else if ('dir' in entry) {
    await mkdir(at, { recursive: true });
    if (entry.mode !== undefined) modes.push([at, entry.mode]);
  } else {
    await writeFile(at, entry.text);
    modes.push([at, entry.mode]);
  }
}

/** Writes every case into root; manifests last, each renamed into place as editors and kubeadm do. */
export async function writeRoot(root: string, cases: RenderedCase[], node = NODE_NAME): Promise<void> {
  const pki = join(root, 'etc/kubernetes/pki');
  await mkdir(pki, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await writeFile(join(pki, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await writeFile(join(pki, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  await writeFile(join(root, 'etc/hostname'), `${node}\n`);
  await mkdir(join(root, 'var/log'), { recursive: true });
  const modes: [string, number][] = [];
  for (const r of cases) for (const [rel, entry] of Object.entries(r.c.files)) await put(root, rel, entry, modes);
  // Files first, directories last: a directory of mode 000 would stop writes beneath it (not for root, but
  // the order keeps the intent plain).
  for (const [at, mode] of modes.sort((a, b) => b[0].length - a[0].length)) await chmod(at, mode);
  const manifests = join(root, 'etc/kubernetes/manifests');
  await mkdir(manifests, { recursive: true });
  for (const r of cases) {
    await writeFile(join(manifests, r.manifestName), r.render());
    for (const [name, text] of Object.entries(r.c.extraManifests?.(r) ?? {})) await writeFile(join(manifests, name), text);
  }
}

export interface Observation {
  outcome: Outcome | 'undecided';
  healthy: boolean;
  /** Pod log directories of this case's pods (name -> highest restart file number). */
  pods: Record<string, number>;
  podLog: string;
  kubeletLines: string[];
}

async function healthz(port: number): Promise<boolean> {
  const res = await request(`https://127.0.0.1:${port}/healthz`, { dispatcher: insecure, headersTimeout: 2000, bodyTimeout: 2000 }).catch(
    () => null,
  );
  if (!res) return false;
  await res.body.dump();
  // 401 counts: with --authorization-mode=AlwaysAllow the apiserver turns anonymous auth off, so an
  // unauthenticated /healthz is refused, by a server that started and serves TLS on its port.
  return res.statusCode === 200 || res.statusCode === 401;
}

function podLogs(root: string, podName: string): { restarts: number; text: string } | null {
  const pods = join(root, 'var/log/pods');
  const dir = existsSync(pods) ? readdirSync(pods).find((d) => d.startsWith(`kube-system_${podName}_`)) : undefined;
  if (!dir) return null;
  const cdir = join(pods, dir, 'kube-apiserver');
  const files = existsSync(cdir) ? readdirSync(cdir).filter((f) => /^\d+\.log$/.test(f)) : [];
  const restarts = Math.max(-1, ...files.map((f) => Number.parseInt(f, 10)));
  return { restarts, text: files.map((f) => readFileSync(join(cdir, f), 'utf8')).join('') };
}

/** What the kubelet did with one case, so far. Pod names are `<metadata.name>-<node>`. */
export async function observe(r: RenderedCase, root: string, kubeletLog: string, altPort: number | null): Promise<Observation> {
  const names = [
    r.podName,
    ...Object.keys(r.c.extraManifests?.(r) ?? {})
      .filter((f) => !f.includes('.yaml.'))
      .map((f) => `kube-apiserver-${f.replace(/^apiserver-/, '').replace(/\.yaml$/, '')}-${NODE_NAME}`),
  ];
  const pods: Record<string, number> = {};
  let podLog = '';
  for (const name of names) {
    const logs = podLogs(root, name);
    if (logs) {
      pods[name] = logs.restarts;
      podLog += logs.text;
    }
  }
  // The pod name ends at _ " ( or a space, or at \" where the kubelet quotes an error inside an error.
  const mine = new RegExp(
    `(${names.map((n) => n.replace(/[-.]/g, '\\$&')).join('|')})[_"\\\\\\s(]|${r.manifestName.replace(/[-.]/g, '\\$&')}`,
  );
  const kubeletLines = kubeletLog.split('\n').filter((l) => mine.test(l));
  const healthy = await healthz(r.port);
  const altHealthy = altPort !== null && (await healthz(altPort));
  const restarted = Object.values(pods).some((n) => n >= 1);
  let outcome: Observation['outcome'] = 'undecided';
  if (healthy && Object.keys(pods).length > 1 && restarted) outcome = 'two-pods';
  else if (altHealthy && !healthy) outcome = 'other-file-runs';
  else if (healthy && names.length === 1) outcome = 'healthy';
  else if (!healthy && restarted) outcome = 'crash-loop';
  else if (
    Object.keys(pods).length === 0 &&
    kubeletLines.some((l) => /MountVolume\.SetUp failed|couldn't parse as pod|invalid pod/.test(l))
  )
    outcome = 'never-created';
  return { outcome, healthy, pods, podLog, kubeletLines };
}

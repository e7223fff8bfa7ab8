// Finds how this node runs kube-apiserver and reads its flags, mounts and environment.
import path from 'node:path';
import type { ApiserverConfig, Distribution } from '../../model/node.js';
import { RUN_AS_ROOT, factFailure, reasonForCode, type CollectContext, type Collector } from '../collector.js';
import { ReadFailure, hostExists, readHostText } from '../../io/host-fs.js';
import { parseYaml } from '../../parse/yaml-file.js';
import { PodShapeError, readApiserverContainer, versionFromImage } from '../../parse/pod.js';
import { flagsFromKeyValues, parseFlags, shellSplit } from '../../parse/flags.js';
import { type Obj } from '../../parse/json-value.js';

export const MAX_CONFIG_BYTES = 1024 * 1024;

interface Candidate {
  path: string;
  distribution: Distribution;
  kind: 'pod' | 'k3s-config' | 'microk8s-args' | 'openshift-pod';
}

const KUBEADM = '/etc/kubernetes/manifests/kube-apiserver.yaml';
const KOPS = '/etc/kubernetes/manifests/kube-apiserver.manifest';
const RKE2 = '/var/lib/rancher/rke2/agent/pod-manifests/kube-apiserver.yaml';
const OPENSHIFT = '/etc/kubernetes/manifests/kube-apiserver-pod.yaml';
const MICROK8S = '/var/snap/microk8s/current/args/kube-apiserver';
const K3S_CONFIG = '/etc/rancher/k3s/config.yaml';
const K3S_MARKERS = ['/etc/systemd/system/k3s.service', '/usr/local/bin/k3s', '/var/lib/rancher/k3s'];

export const DISCOVERY_PATHS = [KUBEADM, KOPS, RKE2, OPENSHIFT, MICROK8S, K3S_CONFIG, ...K3S_MARKERS];

function classify(p: string): Candidate {
  if (p.endsWith('.manifest')) return { path: p, distribution: 'kops', kind: 'pod' };
  if (p.includes('/rancher/rke2/')) return { path: p, distribution: 'rke2', kind: 'pod' };
  if (p.endsWith('kube-apiserver-pod.yaml')) return { path: p, distribution: 'openshift', kind: 'openshift-pod' };
  if (p.includes('/snap/microk8s/')) return { path: p, distribution: 'microk8s', kind: 'microk8s-args' };
  if (p.includes('/rancher/k3s/')) return { path: p, distribution: 'k3s', kind: 'k3s-config' };
  return { path: p, distribution: 'kubeadm', kind: 'pod' };
}

/** The kubelet may be configured with another staticPodPath than kubeadm's default. */
async function kubeletStaticPodPath(root: string): Promise<string | null> {
  try {
    const { text } = await readHostText(root, '/var/lib/kubelet/config.yaml', MAX_CONFIG_BYTES);
    const v = parseYaml(text).value as Record<string, unknown> | null;
    const p = v && typeof v.staticPodPath === 'string' ? v.staticPodPath : null;
    return p && p !== '/etc/kubernetes/manifests' ? p : null;
  } catch {
    return null;
  }
}

async function discover(ctx: CollectContext): Promise<{ found: Candidate[]; tried: string[] }> {
  if (ctx.manifest) {
    if (!(await hostExists(ctx.root, ctx.manifest))) {
      throw factFailure(
        'not-found',
        `--manifest ${ctx.manifest} does not exist under root ${ctx.root}`,
        'Check the path: --manifest takes the path on the node, read under --root.',
      );
    }
    return { found: [classify(ctx.manifest)], tried: [ctx.manifest] };
  }
  const extra = await kubeletStaticPodPath(ctx.root);
  const tried = [
    ...(extra ? [path.posix.join(extra, 'kube-apiserver.yaml')] : []),
    KUBEADM,
    KOPS,
    RKE2,
    OPENSHIFT,
    MICROK8S,
    K3S_CONFIG,
    ...K3S_MARKERS,
  ];
  const exists = await Promise.all(tried.map((p) => hostExists(ctx.root, p)));
  const found: Candidate[] = [];
  tried.forEach((p, i) => {
    if (!exists[i]) return;
    if (K3S_MARKERS.includes(p)) {
      if (!found.some((c) => c.distribution === 'k3s')) found.push({ path: K3S_CONFIG, distribution: 'k3s', kind: 'k3s-config' });
    } else found.push(classify(p));
  });
  return { found, tried };
}

export const apiserverCollector: Collector<'apiserver'> = {
  key: 'apiserver',
  deps: [],
  async collect(ctx) {
    const { found, tried } = await discover(ctx);
    const chosen = found[0];
    if (!chosen) {
      throw factFailure(
        'not-found',
        `no kube-apiserver configuration found under root ${ctx.root}`,
        'Run on a control-plane node, pass --root where its filesystem is mounted, or --manifest PATH. Managed clusters (EKS, GKE, AKS) have no apiserver on any node: see `prisma-audit explain apiserver-manifest`.',
        tried.map((p) => `tried ${p}: not there`),
      );
    }
    const base = {
      distribution: chosen.distribution,
      file: chosen.path,
      tried,
      others: found.slice(1).map((c) => c.path),
      durableSource: durableSourceFor(chosen.distribution),
    };
    const read =
      chosen.kind === 'k3s-config'
        ? await readK3s(ctx, base)
        : chosen.kind === 'microk8s-args'
          ? await readMicrok8s(ctx, chosen, base)
          : await readPod(ctx, chosen, base);
    return ctx.upgradeTo
      ? { ...read, kubernetesVersion: ctx.upgradeTo, upgradeTo: ctx.upgradeTo, upgradeFrom: read.kubernetesVersion }
      : read;
  },
};

type Base = Pick<ApiserverConfig, 'distribution' | 'file' | 'tried' | 'others' | 'durableSource'>;

function durableSourceFor(d: Distribution): string | null {
  switch (d) {
    case 'kubeadm':
      return 'ConfigMap kube-system/kubeadm-config (ClusterConfiguration.apiServer.extraArgs / extraVolumes)';
    case 'kops':
      return 'the kops cluster spec (spec.kubeAPIServer and spec.fileAssets)';
    case 'rke2':
      return '/etc/rancher/rke2/config.yaml (kube-apiserver-arg, kube-apiserver-extra-mount)';
    case 'k3s':
      return '/etc/rancher/k3s/config.yaml (kube-apiserver-arg)';
    case 'microk8s':
      return '/var/snap/microk8s/current/args/kube-apiserver';
    case 'openshift':
      return 'the APIServer custom resource (spec.audit.profile)';
    default:
      return null;
  }
}

async function readText(ctx: CollectContext, hostPath: string): Promise<string> {
  try {
    return (await readHostText(ctx.root, hostPath, MAX_CONFIG_BYTES)).text;
  } catch (err) {
    if (err instanceof ReadFailure && err.code === 'ESPECIAL') {
      // The kubelet runs only regular files from the static-pod directory: no apiserver from this one.
      throw factFailure(
        'parse',
        `${err.message}; the kubelet does not run a pod from it`,
        'Put the regular manifest file back in its place (a copy is under /var/backups/prisma-audit/ if fix wrote one).',
      );
    }
    if (err instanceof ReadFailure) {
      const reason = reasonForCode(err.code);
      throw factFailure(reason, `cannot read ${hostPath}: ${err.message}`, reason === 'permission' ? RUN_AS_ROOT : undefined);
    }
    throw err;
  }
}

async function readPod(ctx: CollectContext, c: Candidate, base: Base): Promise<ApiserverConfig> {
  const text = await readText(ctx, c.path);
  const parsed = parseYaml(text);
  if (parsed.error) {
    const at = parsed.error.line ? `${c.path}:${parsed.error.line}` : c.path;
    throw factFailure(
      'parse',
      `${at}: the manifest is not valid YAML (${parsed.error.message}); the kubelet cannot run this pod`,
      `Fix the YAML at ${at}; the kubelet logs "couldn't parse as pod" for it.`,
    );
  }
  let container;
  try {
    container = readApiserverContainer(parsed.value, parsed.lines);
  } catch (err) {
    if (err instanceof PodShapeError) throw factFailure('parse', `${c.path}: ${err.message}`);
    throw err;
  }
  const notes: string[] = [];
  if (!container.binaryFound) notes.push('the kube-apiserver binary was not named in command/args; every --flag of the container was read');
  if (c.distribution === 'rke2')
    notes.push('RKE2 rewrites this manifest when rke2-server restarts: change /etc/rancher/rke2/config.yaml for a lasting fix');
  return {
    ...base,
    mode: c.kind === 'openshift-pod' ? 'operator-managed' : 'static-pod',
    text,
    containerName: container.name,
    image: container.image,
    kubernetesVersion: ctx.kubernetesVersion ?? versionFromImage(container.image),
    flags: container.flags,
    mounts: container.mounts,
    volumes: container.volumes,
    env: container.env,
    notes,
  };
}

/** k3s runs the apiserver inside its own process: flags come from `kube-apiserver-arg` in its config
 * (a list, or a single string) and paths are host paths. */
async function readK3s(ctx: CollectContext, base: Base): Promise<ApiserverConfig> {
  let text = '';
  const notes = ['k3s runs kube-apiserver inside the k3s process: there is no static pod, and audit paths are host paths'];
  const flags: ApiserverConfig['flags'] = [];
  if (await hostExists(ctx.root, K3S_CONFIG)) {
    text = await readText(ctx, K3S_CONFIG);
    const parsed = parseYaml(text);
    if (parsed.error)
      throw factFailure(
        'parse',
        `${K3S_CONFIG}:${parsed.error.line ?? '?'}: not valid YAML (${parsed.error.message}); k3s will not start with it`,
      );
    const cfg = (parsed.value ?? {}) as Obj;
    const raw = cfg['kube-apiserver-arg'];
    const items = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    flags.push(
      ...flagsFromKeyValues(
        items.map((v, i) => ({
          text: String(v),
          line: parsed.lines[`kube-apiserver-arg.${i}`] ?? parsed.lines['kube-apiserver-arg'] ?? null,
        })),
        'config',
      ),
    );
  } else notes.push(`${K3S_CONFIG} does not exist; flags given on the k3s command line (systemd unit) are not read`);
  return {
    ...base,
    file: K3S_CONFIG,
    mode: 'host-process',
    text,
    containerName: null,
    image: null,
    kubernetesVersion: ctx.kubernetesVersion,
    flags,
    mounts: [],
    volumes: [],
    env: [],
    notes,
  };
}

/** MicroK8s keeps one flag per line in its args file; $SNAP_DATA names /var/snap/microk8s/current. */
async function readMicrok8s(ctx: CollectContext, c: Candidate, base: Base): Promise<ApiserverConfig> {
  const text = await readText(ctx, c.path);
  const flags: ApiserverConfig['flags'] = [];
  text.split('\n').forEach((line, i) => {
    const trimmed = line.trim();
    if (!trimmed.startsWith('-')) return;
    const words = shellSplit(
      trimmed.replace(/\$\{?SNAP_DATA\}?/g, '/var/snap/microk8s/current').replace(/\$\{?SNAP\}?/g, '/snap/microk8s/current'),
    );
    flags.push(...parseFlags(words.map((w) => ({ text: w, line: i + 1, source: 'args-file' as const }))).flags);
  });
  return {
    ...base,
    mode: 'host-process',
    text,
    containerName: null,
    image: null,
    kubernetesVersion: ctx.kubernetesVersion,
    flags,
    mounts: [],
    volumes: [],
    env: [],
    notes: [
      'MicroK8s runs kube-apiserver inside kubelite on the host: audit paths are host paths; restart with `microk8s stop; microk8s start`',
    ],
  };
}

// A real node for the kubelet suite: containerd and a kubelet 1.20.2 (built by scripts/prepare-kubelet.sh),
// standalone or registered to a test kube-apiserver, in a private mount namespace where /etc/kubernetes,
// /var/log and /var/lib/kubelet are the test node root's, so every hostPath the kubelet and runc resolve
// lands in that root and the machine's own /etc, /var/lib and /var/log are never touched (/etc and /var/lib
// are overlays there, /run a tmpfs). Every process is stopped by its PID, the cgroups made for it are removed
// and the sysctls the kubelet rewrites restored. Nodes of distinct names run side by side.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { apiRequest, startEtcd, type Etcd } from '../test-apiserver/cluster.js';
import { freePort, start, waitUntil, type Running } from '../test-apiserver/processes.js';

const run = promisify(execFile);
const CACHE = process.env.PRISMA_AUDIT_CACHE ?? '/var/cache/prisma-audit';
export const KUBELET_BIN = join(CACHE, 'bin/kubelet');
const IMAGES = join(CACHE, 'images');
export const PAUSE_IMAGE = 'docker.io/local/pause:3.4.1';
export const APISERVER_IMAGE = 'local/kube-apiserver:v1.20.2';
export const NODE_NAME = 'cp1';

export const prepared = (): boolean =>
  [KUBELET_BIN, join(CACHE, 'bin/kube-apiserver'), join(IMAGES, 'pause.tar'), join(IMAGES, 'kube-apiserver.tar'), '/usr/bin/etcd'].every(
    existsSync,
  ) &&
  ['containerd', 'ctr', 'runc', 'unshare', 'nsenter'].every((tool) =>
    ['/usr/bin', '/usr/sbin', '/bin', '/sbin'].some((d) => existsSync(join(d, tool))),
  );

/** The sysctls kubelet 1.20 sets at start (pkg/kubelet/cm/container_manager_linux.go setupKernelTunables). */
const SYSCTLS = [
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
];
/** The sysctls the kubelet rewrites that a suite compares before and after its nodes ran. */
export function readSysctls(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of ['vm/overcommit_memory', 'vm/panic_on_oom', 'kernel/panic', 'kernel/panic_on_oops'])
    out[s] = readFileSync(`/proc/sys/${s}`, 'utf8').trim();
  return out;
}

const CGROUP_V1 = [
  'blkio',
  'cpu',
  'cpuacct',
  'cpuset',
  'devices',
  'freezer',
  'memory',
  'pids',
  'systemd',
  'hugetlb',
  'perf_event',
  'net_cls',
  'net_prio',
];

/** A kubelet registered to an API server (pods made through the API, no scheduler needed with nodeName).
 * What registration needs on this machine is in ../shared/docs/kubelet.md (reference only). */
export interface Registration {
  /** https URL of the API server; its certificate is not verified (a test apiserver's own CA). */
  server: string;
  /** A token the API server's --token-auth-file knows. */
  token: string;
}

export interface NodeOptions {
  /** The node's name (--hostname-override); distinct names let nodes run side by side. */
  name?: string;
  /** Register to this API server instead of standalone mode. */
  register?: Registration;
  /** Images (docker-archive tarballs) imported into the node's containerd beside pause and kube-apiserver. */
  images?: string[];
}

export interface Node {
  name: string;
  root: string;
  etcd: Etcd;
  kubeletLog: string;
  /** The kubelet's klog file, as written so far. */
  kubeletOutput(): string;
  /** `ctr -n k8s.io ARGS` against the node's containerd: what the kubelet really runs. */
  ctr(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the node on `root`; `state` is a scratch directory for containerd and the kubelet, removed at stop.
 * `populate` writes the root once etcd's URL is known and before the kubelet first lists the manifests. */
export async function startNode(
  root: string,
  state: string,
  populate: (etcdUrl: string) => Promise<void>,
  opts: NodeOptions = {},
): Promise<Node> {
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch((err) => console.error(`teardown: ${String(err)}`));
  };
  try {
    return await boot(root, state, populate, opts, stoppers, stopAll);
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function boot(
  root: string,
  state: string,
  populate: (etcdUrl: string) => Promise<void>,
  opts: NodeOptions,
  stoppers: (() => Promise<void>)[],
  stopAll: () => Promise<void>,
): Promise<Node> {
  const name = opts.name ?? NODE_NAME;
  await mkdir(state, { recursive: true });
  const saved = new Map(SYSCTLS.filter((s) => existsSync(`/proc/sys/${s}`)).map((s) => [s, readFileSync(`/proc/sys/${s}`, 'utf8').trim()]));
  stoppers.push(async () => {
    for (const [s, v] of saved) await writeFile(`/proc/sys/${s}`, v).catch(() => undefined);
  });
  stoppers.push(() => rm(state, { recursive: true, force: true }));

  // The namespace: a holder process keeps it alive; every component enters it with nsenter (which execs,
  // so each component's PID is its own).
  // The kubelet writes /var/lib/kubelet whatever --root-dir says (device-plugins/kubelet.sock): under the
  // /var/lib overlay that is the node root's, so two kubelets do not share one socket.
  for (const d of ['etc-upper', 'etc-work', 'var-lib-upper', 'var-lib-work']) await mkdir(join(state, d), { recursive: true });
  for (const d of ['etc/kubernetes/manifests', 'var/log', 'var/lib/kubelet']) await mkdir(join(root, d), { recursive: true });
  const setup = [
    'set -e',
    'mount -t tmpfs tmpfs /run',
    `mount -t overlay overlay -o lowerdir=/etc,upperdir=${state}/etc-upper,workdir=${state}/etc-work /etc`,
    `mount -t overlay overlay -o lowerdir=/var/lib,upperdir=${state}/var-lib-upper,workdir=${state}/var-lib-work /var/lib`,
    'mkdir -p /etc/kubernetes /var/lib/kubelet',
    `mount --bind ${root}/etc/kubernetes /etc/kubernetes`,
    `mount --bind ${root}/var/log /var/log`,
    `mount --bind ${root}/var/lib/kubelet /var/lib/kubelet`,
    'echo namespace-ready',
    'exec sleep 100000',
  ].join('\n');
  const holder = start('namespace', 'unshare', ['--mount', '--propagation', 'private', 'sh', '-c', setup]);
  stoppers.push(() => holder.stop());
  await waitUntil(holder, 'mount namespace', () => holder.output().includes('namespace-ready'), 10_000);
  const inNs = (name: string, bin: string, args: string[]): Running =>
    start(name, 'nsenter', [`--target=${holder.child.pid}`, '--mount', '--', bin, ...args]);

  const cgroup = `prisma-audit-kubelet-${process.pid}-${name}`;
  const made: string[] = [];
  for (const h of CGROUP_V1) {
    const base = `/sys/fs/cgroup/${h}`;
    if (!existsSync(base)) continue;
    await mkdir(join(base, cgroup), { recursive: true });
    made.push(join(base, cgroup));
    if (h === 'cpuset') {
      for (const f of ['cpuset.cpus', 'cpuset.mems']) await writeFile(join(base, cgroup, f), readFileSync(join(base, f), 'utf8'));
    }
  }
  stoppers.push(() => removeCgroups(made));

  const sock = join(state, 'containerd.sock');
  await writeFile(join(state, 'containerd.toml'), containerdConfig(state, sock));
  if (opts.register) {
    // A CNI configuration makes the registered node Ready; host-network pods, the only ones here, need
    // no plugin binary.
    await mkdir(join(state, 'cni/conf'), { recursive: true });
    await writeFile(
      join(state, 'cni/conf/10-placeholder.conflist'),
      JSON.stringify({ cniVersion: '0.4.0', name: 'placeholder', plugins: [{ type: 'loopback' }] }),
    );
  }
  const containerd = inNs('containerd', 'containerd', ['--config', join(state, 'containerd.toml')]);
  stoppers.push(() => stopContainerd(containerd, sock));
  await waitUntil(
    containerd,
    'containerd socket',
    () => existsSync(sock) && containerd.output().includes('containerd successfully booted'),
    30_000,
  );
  for (const tar of [join(IMAGES, 'pause.tar'), join(IMAGES, 'kube-apiserver.tar'), ...(opts.images ?? [])]) {
    await run('ctr', ['--address', sock, '-n', 'k8s.io', 'images', 'import', tar], { timeout: 180_000 });
  }

  const etcd = await startEtcd();
  stoppers.push(() => etcd.stop());
  await populate(etcd.url);

  const healthz = await freePort();
  const port = await freePort();
  const kubeletLog = join(root, 'var/log/kubelet.log');
  const kubelet = inNs('kubelet', KUBELET_BIN, [
    ...(opts.register ? await registeredFlags(state, opts.register) : []),
    '--pod-manifest-path=/etc/kubernetes/manifests',
    '--container-runtime=remote',
    `--container-runtime-endpoint=unix://${sock}`,
    `--pod-infra-container-image=${PAUSE_IMAGE}`,
    '--cgroup-driver=cgroupfs',
    `--cgroup-root=/${cgroup}`,
    '--fail-swap-on=false',
    `--root-dir=${join(state, 'kubelet')}`,
    `--volume-plugin-dir=${join(state, 'volume-plugins')}`,
    '--file-check-frequency=5s',
    `--hostname-override=${name}`,
    '--address=127.0.0.1',
    `--port=${port}`,
    '--read-only-port=0',
    '--healthz-bind-address=127.0.0.1',
    `--healthz-port=${healthz}`,
    // No journald here: klog writes the file the doctor reads as the kubelet's log.
    '--logtostderr=false',
    '--alsologtostderr=false',
    '--log-file=/var/log/kubelet.log',
    '--log-file-max-size=0',
    '--v=2',
  ]);
  stoppers.push(() => kubelet.stop());
  await waitUntil(
    kubelet,
    'kubelet healthz',
    async () => {
      const res = await request(`http://127.0.0.1:${healthz}/healthz`).catch(() => null);
      if (!res) return false;
      return (await res.body.text()) === 'ok';
    },
    60_000,
  );
  if (opts.register) await completeRegistration(kubelet, opts.register, name);
  return {
    name,
    root,
    etcd,
    kubeletLog,
    kubeletOutput: () => (existsSync(kubeletLog) ? readFileSync(kubeletLog, 'utf8') : ''),
    ctr: async (...args) => (await run('ctr', ['--address', sock, '-n', 'k8s.io', ...args], { timeout: 30_000 })).stdout,
    stop: stopAll,
  };
}

async function registeredFlags(state: string, reg: Registration): Promise<string[]> {
  const kubeconfig = join(state, 'kubelet.kubeconfig');
  await writeFile(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: test, cluster: {server: "${reg.server}", insecure-skip-tls-verify: true}}]\nusers: [{name: kubelet, user: {token: "${reg.token}"}}]\ncontexts: [{name: test, context: {cluster: test, user: kubelet}}]\ncurrent-context: test\n`,
  );
  // A 1.20 kubelet exits on --node-labels=node-role.kubernetes.io/…: the role label is added through the
  // API afterwards, as kubeadm does; the taint is kubeadm's, which fleet pods must tolerate. Without
  // --node-ip the kubelet publishes the machine's own address, where it does not listen (--address is
  // loopback); with a loopback --node-ip it publishes none, and keeps the ones patched in.
  return [
    `--kubeconfig=${kubeconfig}`,
    '--register-node=true',
    '--register-with-taints=node-role.kubernetes.io/master=:NoSchedule',
    '--node-ip=127.0.0.1',
  ];
}

/** Waits for the Node object, then gives it what a loopback kubelet cannot publish itself: the kubelet
 * refuses a loopback --node-ip and then reports no address, so the API server could not reach it for
 * pods/log ("no preferred addresses found"). It does not overwrite addresses patched in. */
async function completeRegistration(kubelet: Running, reg: Registration, name: string): Promise<void> {
  const api = (method: 'GET' | 'PATCH', path: string, body?: unknown) => apiRequest(reg.server, reg.token, method, path, body);
  await waitUntil(kubelet, `Node ${name} registered`, async () => (await api('GET', `/api/v1/nodes/${name}`)).status === 200, 90_000);
  const patches = [
    [
      `/api/v1/nodes/${name}/status`,
      {
        status: {
          addresses: [
            { type: 'InternalIP', address: '127.0.0.1' },
            { type: 'Hostname', address: name },
          ],
        },
      },
    ],
    [
      `/api/v1/nodes/${name}`,
      { metadata: { labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '' } } },
    ],
  ] as const;
  for (const [path, body] of patches) {
    const res = await api('PATCH', path, body);
    if (res.status !== 200) throw new Error(`PATCH ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  }
}

function containerdConfig(state: string, sock: string): string {
  return `version = 2
root = "${state}/containerd/root"
state = "${state}/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "${sock}"
[plugins."io.containerd.internal.v1.opt"]
  path = "${state}/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${PAUSE_IMAGE}"
  # Root here lacks CAP_SYS_RESOURCE: without this every sandbox fails ("can't get final child's PID from pipe").
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "${state}/cni/bin"
    conf_dir = "${state}/cni/conf"
`;
}

/** Kills every task (the shims then exit), then containerd itself; any shim of this state directory still
 * alive afterwards is killed by PID. */
async function stopContainerd(containerd: Running, sock: string): Promise<void> {
  const ctr = (...args: string[]) => run('ctr', ['--address', sock, '-n', 'k8s.io', ...args], { timeout: 30_000 });
  if (containerd.child.exitCode === null) {
    const tasks = (await ctr('tasks', 'ls', '-q').catch(() => ({ stdout: '' }))).stdout.split('\n').filter(Boolean);
    await Promise.all(tasks.map((id) => ctr('tasks', 'kill', '-s', 'SIGKILL', id).catch(() => undefined)));
    await Promise.all(tasks.map((id) => ctr('tasks', 'delete', '-f', id).catch(() => undefined)));
  }
  await containerd.stop();
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline.startsWith('/usr/bin/containerd-shim') && cmdline.includes(sock)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** Removes the cgroups made for the kubelet, deepest first (pods' cgroups are empty once their tasks died). */
async function removeCgroups(tops: string[]): Promise<void> {
  const remove = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) if (e.isDirectory()) await remove(join(dir, e.name));
    for (let i = 0; i < 20; i++) {
      try {
        await rmdir(dir);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  };
  for (const top of tops) await remove(top);
}

// Collector of the volumeHosts fact: what the node has at each hostPath the apiserver pod mounts, looked at
// as the kubelet's type check looks (os.Stat, host links followed, here inside --root), plus the parent
// directory that FileOrCreate needs.
import path from 'node:path';
import { factFailure, type Collector } from '../collector.js';
import { statHost } from '../../io/host-fs.js';

export const volumeHostsCollector: Collector<'volumeHosts'> = {
  key: 'volumeHosts',
  deps: ['apiserver'],
  async collect(ctx, deps) {
    const api = await deps.need('apiserver');
    if (api.mode !== 'static-pod')
      throw factFailure('not-applicable', `${api.distribution} runs kube-apiserver on the host: there are no pod volumes`);
    const mounted = new Set(api.mounts.map((m) => m.name));
    const hostPaths = api.volumes.filter((v) => v.hostPath && mounted.has(v.name));
    return Promise.all(
      hostPaths.map(async (v) => ({
        name: v.name,
        hostPath: v.hostPath!,
        stat: await statHost(ctx.root, v.hostPath!, false),
        parent: await statHost(ctx.root, path.posix.dirname(path.posix.normalize(v.hostPath!)), false),
      })),
    );
  },
};

// Lists the static-pod manifest directory: the kubelet loads every non-dot file in it.
import path from 'node:path';
import { RUN_AS_ROOT, factFailure, reasonForCode, type Collector } from '../collector.js';
import { listHostDir } from '../../io/host-fs.js';

export const manifestsDirCollector: Collector<'manifestsDir'> = {
  key: 'manifestsDir',
  deps: ['apiserver'],
  async collect(ctx, deps) {
    const api = await deps.need('apiserver');
    if (api.mode !== 'static-pod') throw factFailure('not-applicable', `${api.distribution} runs kube-apiserver without a static-pod manifest directory`);
    const dir = path.posix.dirname(api.file);
    try {
      const entries = await listHostDir(ctx.root, dir);
      return { dir, entries: entries.map((e) => ({ name: e.name, kind: e.stat.kind, size: e.stat.size })) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      const reason = reasonForCode(code);
      throw factFailure(reason, `cannot list ${dir}: ${code}`, reason === 'permission' ? RUN_AS_ROOT : undefined);
    }
  },
};

// Lists the static-pod manifest directory: the kubelet loads every non-dot file in it.
import path from 'node:path';
import { RUN_AS_ROOT, factFailure, reasonForCode, type Collector } from '../collector.js';
import { mapBounded } from '../../io/bounded.js';
import { listHostDir, readHostText } from '../../io/host-fs.js';
import { MAX_CONFIG_BYTES } from './apiserver.js';
import { readStaticPod } from '../../parse/static-pod.js';

const READ_CONCURRENCY = 16;

export const manifestsDirCollector: Collector<'manifestsDir'> = {
  key: 'manifestsDir',
  deps: ['apiserver'],
  async collect(ctx, deps) {
    const api = await deps.need('apiserver');
    if (api.mode !== 'static-pod')
      throw factFailure('not-applicable', `${api.distribution} runs kube-apiserver without a static-pod manifest directory`);
    const dir = path.posix.dirname(api.file);
    try {
      const entries = await listHostDir(ctx.root, dir);
      return {
        dir,
        // A few reads at a time: a directory of 100k files must not open them all at once (EMFILE).
        entries: await mapBounded(entries, READ_CONCURRENCY, async (e) => {
          const entry = { name: e.name, kind: e.stat.kind, size: e.stat.size };
          // The kubelet globs "[^.]*": dot-files are never read.
          if (e.name.startsWith('.') || e.stat.kind !== 'file') return entry;
          const read = await readHostText(ctx.root, path.posix.join(dir, e.name), MAX_CONFIG_BYTES).catch(() => null);
          if (!read) return { ...entry, pod: null };
          return { ...entry, pod: readStaticPod(read.text), identical: read.text === api.text };
        }),
      };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      const reason = reasonForCode(code);
      throw factFailure(reason, `cannot list ${dir}: ${code}`, reason === 'permission' ? RUN_AS_ROOT : undefined);
    }
  },
};

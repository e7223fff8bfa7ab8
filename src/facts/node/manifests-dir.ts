// Lists the static-pod manifest directory: the kubelet loads every non-dot file in it.
import path from 'node:path';
import { RUN_AS_ROOT, factFailure, reasonForCode, type Collector } from '../collector.js';
import { mapBounded } from '../../io/bounded.js';
import { listHostDir, readHostText } from '../../io/host-fs.js';
import { MAX_CONFIG_BYTES } from './apiserver.js';
import { readStaticPod } from '../../parse/static-pod.js';

const READ_CONCURRENCY = 16;
/** More files than this in the static-pod directory is a flood, not a configuration. */
export const MAX_READS = 1000;

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
      const own = path.posix.basename(api.file);
      // The kubelet reads every file, but a flooded directory (100k files were tried) would cost
      // minutes: the first MAX_READS in the kubelet's order are read, and the rest are counted.
      let reads = 0;
      let unread = 0;
      const read = await mapBounded(entries, READ_CONCURRENCY, async (e) => {
        const entry = { name: e.name, kind: e.stat.kind, size: e.stat.size };
        // The kubelet globs "[^.]*": dot-files are never read.
        if (e.name.startsWith('.') || e.stat.kind !== 'file') return entry;
        if (e.name !== own && ++reads > MAX_READS) {
          unread++;
          return entry;
        }
        const text = await readHostText(ctx.root, path.posix.join(dir, e.name), MAX_CONFIG_BYTES).catch(() => null);
        if (!text) return { ...entry, pod: null };
        return { ...entry, pod: readStaticPod(text.text), identical: text.text === api.text };
      });
      return { dir, entries: read, ...(unread > 0 ? { unread } : {}) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      const reason = reasonForCode(code);
      throw factFailure(reason, `cannot list ${dir}: ${code}`, reason === 'permission' ? RUN_AS_ROOT : undefined);
    }
  },
};

// A throwaway node root holding only what the collectors read, with the planned artifacts applied:
// the doctor's own collectors and checks then judge the fixed node without touching the real one.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_CONFIG_BYTES } from '../facts/node/apiserver.js';
import type { ApiserverConfig, AuditPath, ManifestsDir } from '../model/node.js';
import { readHostText, statHost } from '../io/host-fs.js';

export interface SparseRootInput {
  realRoot: string;
  api: ApiserverConfig;
  manifestsDir: ManifestsDir | null;
  auditPaths: AuditPath[];
  /** Host path -> new contents. */
  writes: Map<string, string>;
  /** Host paths moved away. */
  moved: Set<string>;
  /** Host paths the fixed node's apiserver reads (mount sources, audit files), to copy as they are. */
  referenced: string[];
}

export async function buildSparseRoot(input: SparseRootInput): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'prisma-audit-verify-'));
  const done = new Set<string>();
  const put = async (hostPath: string, contents: string) => {
    const target = path.join(dir, hostPath);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, contents);
    done.add(hostPath);
  };
  const copy = async (hostPath: string) => {
    if (done.has(hostPath) || input.moved.has(hostPath)) return;
    done.add(hostPath);
    const st = await statHost(input.realRoot, hostPath, false);
    if (st.kind === 'directory') await fs.mkdir(path.join(dir, hostPath), { recursive: true });
    else if (st.kind === 'file')
      await put(
        hostPath,
        await readHostText(input.realRoot, hostPath, MAX_CONFIG_BYTES).then(
          (r) => r.text,
          () => '',
        ),
      );
  };
  for (const [hostPath, contents] of input.writes) await put(hostPath, contents);
  if (!done.has(input.api.file)) await put(input.api.file, input.api.text);
  // The listing matters for manifests-dir-clean, not the contents of the other pods.
  for (const e of input.manifestsDir?.entries ?? []) {
    const p = path.posix.join(input.manifestsDir!.dir, e.name);
    if (input.moved.has(p) || done.has(p)) continue;
    if (e.kind === 'directory') await fs.mkdir(path.join(dir, p), { recursive: true });
    else if (e.kind === 'file') await put(p, '');
  }
  for (const p of [
    ...input.referenced,
    ...input.auditPaths.flatMap((a) => (a.hostPath ? [a.hostPath, path.posix.dirname(a.hostPath)] : [])),
  ])
    await copy(p);
  return dir;
}

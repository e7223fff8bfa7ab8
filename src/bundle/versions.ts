// versions.json: what ran where. Tool and Node from the process, the OS from /etc/os-release under
// --root (the node's, not the machine running the tool when --root points elsewhere), Kubernetes
// and the distribution from the apiserver fact.
import type { Facts } from '../model/facts.js';
import { readHostText } from '../io/host-fs.js';

export interface Versions {
  tool: { name: string; version: string };
  node: string;
  os: { id: string | null; versionId: string | null; prettyName: string | null } | null;
  kubernetes: string | null;
  distribution: string | null;
}

/** KEY=value lines, values optionally quoted (os-release(5)). */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!.replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}

export async function collectVersions(root: string, tool: Versions['tool'], apiserver: Facts['apiserver'] | undefined): Promise<Versions> {
  const osRelease = await readHostText(root, '/etc/os-release', 64 * 1024).then(
    (r) => parseOsRelease(r.text),
    () => null,
  );
  const api = apiserver?.ok ? apiserver.value : null;
  return {
    tool,
    node: process.version,
    os: osRelease ? { id: osRelease.ID ?? null, versionId: osRelease.VERSION_ID ?? null, prettyName: osRelease.PRETTY_NAME ?? null } : null,
    kubernetes: api?.kubernetesVersion ?? null,
    distribution: api?.distribution ?? null,
  };
}

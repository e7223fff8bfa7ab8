// Files of credentials named by apiserver flags (--token-auth-file, --basic-auth-file,
// --*-key-file): never read into a bundle, whatever path leads to them (a log symlinked there, an
// audit flag naming the same file).
import { locate } from '../kube/audit-paths.js';
import type { Facts } from '../model/facts.js';
import { resolveUnderRoot } from '../io/host-fs.js';
import { namesSecretFile } from '../redact/names.js';

export interface SecretFiles {
  /** The flag naming this host path (resolved inside the root), or null. */
  flagFor(hostPath: string): Promise<string | null>;
}

export async function secretFiles(root: string, facts: Partial<Facts>): Promise<SecretFiles> {
  const byReal = new Map<string, string>();
  const api = facts.apiserver;
  if (api?.ok) {
    for (const f of api.value.flags) {
      if (!f.value || !namesSecretFile(f.name)) continue;
      // Both the file behind the container path and the same path on the host.
      for (const hostPath of new Set([locate(api.value, f.value).hostPath, f.value])) {
        if (hostPath) byReal.set(await resolveUnderRoot(root, hostPath).catch(() => hostPath), f.name);
      }
    }
  }
  return {
    async flagFor(hostPath) {
      return byReal.get(await resolveUnderRoot(root, hostPath).catch(() => hostPath)) ?? null;
    },
  };
}

export const secretFileReason = (flag: string) => `it is the credentials file of --${flag}: never bundled`;

// --context NAME must name a context of the kubeconfig in use: a typo is a usage error (exit 2),
// not a cluster mode that silently checks nothing.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { UsageError } from './usage.js';
import { didYouMean } from './suggest.js';

export async function requireContext(context: string, kubeconfig: string | null, env: NodeJS.ProcessEnv): Promise<void> {
  // KUBECONFIG may list several files (merged by client-go); the default is ~/.kube/config.
  const files = (kubeconfig ?? path.join(env.HOME ?? os.homedir(), '.kube', 'config')).split(path.delimiter).filter(Boolean);
  const names: string[] = [];
  const read: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue;
    read.push(file);
    try {
      const doc = parse(text) as { contexts?: { name?: unknown }[] } | null;
      for (const c of doc?.contexts ?? []) if (typeof c?.name === 'string') names.push(c.name);
    } catch {
      // An unparsable kubeconfig is reported by the cluster checks, which say where.
      return;
    }
  }
  if (read.length === 0)
    throw new UsageError(`--context ${context}: no kubeconfig to take it from (pass --kubeconfig PATH or set KUBECONFIG)`);
  if (names.includes(context)) return;
  const known = names.length > 0 ? `; its contexts: ${names.join(', ')}` : '; it defines no contexts';
  throw new UsageError(`--context ${context}: no such context in ${read.join(', ')}${didYouMean(context, names) || known}`);
}

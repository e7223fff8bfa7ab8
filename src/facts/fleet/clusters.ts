// The clusters a fleet run covers: one kubeconfig context, or several (--contexts a,b or all),
// a few at a time. A context that cannot be opened is that cluster's problem in the combined
// report; alone, it is the caller's usage error (NoKubeconfig).
import { NoKubeconfig, type KubeClient, type KubeTarget } from '../../io/kube-client.js';
import type { ClusterRun } from './gather.js';

export { NoKubeconfig };

/** Clusters at once with --contexts: each already runs --parallel pods. */
const CLUSTERS_AT_ONCE = 3;

export interface ClusterTargets {
  kubeconfig: string | null;
  context: string | null;
  /** Context names; ['*'] for every context of the kubeconfig; null for one cluster. */
  contexts: string[] | null;
  timeoutMs: number;
}

export interface ClusterOutcome {
  context: string | null;
  server: string | null;
  run: ClusterRun;
}

/** Runs `work` on each cluster the targets name, a few at a time, results in the order named. */
export async function eachCluster(
  targets: ClusterTargets,
  env: NodeJS.ProcessEnv,
  work: (client: KubeClient, context: string | null) => Promise<ClusterRun>,
): Promise<ClusterOutcome[]> {
  // client-node is large: loaded only when a fleet command runs.
  const { openKube, kubeContexts } = await import('../../io/kube.js');
  const base: Omit<KubeTarget, 'context'> = { kubeconfig: targets.kubeconfig, timeoutMs: targets.timeoutMs };
  const several = targets.contexts !== null;
  const names: (string | null)[] = !several
    ? [targets.context]
    : targets.contexts![0] === '*'
      ? kubeContexts({ ...base, context: null }, env)
      : targets.contexts!;
  const out: ClusterOutcome[] = new Array(names.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CLUSTERS_AT_ONCE, names.length) }, async () => {
      while (next < names.length) {
        const i = next++;
        const context = names[i]!;
        let client: KubeClient;
        try {
          client = openKube({ ...base, context }, env);
        } catch (err) {
          if (!(err instanceof NoKubeconfig) || !several) throw err;
          out[i] = { context, server: null, run: { nodes: [], problem: err.message, leftovers: [] } };
          continue;
        }
        out[i] = { context: client.context, server: client.server, run: await work(client, several ? client.context : null) };
      }
    }),
  );
  return out;
}

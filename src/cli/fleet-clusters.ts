// Fleet runs across one or more clusters (--contexts), and writing the combined report: shared by
// the live run and by --collect.
import { NoKubeconfig, type KubeClient, type KubeTarget } from '../cluster/client.js';
import type { ClusterRun } from '../fleet/gather.js';
import { buildFleetReport } from '../fleet/report.js';
import type { FleetReport } from '../fleet/types.js';
import { exitCodeFor } from '../report/exit-codes.js';
import { renderFleetJunit } from '../report/fleet-junit.js';
import { renderFleetText } from '../report/fleet-text.js';
import { makeStyle, wantsColor } from '../report/style.js';
import type { Io } from './doctor.js';
import type { FleetOptions } from './fleet-args.js';
import { TOOL } from './tool.js';
import { UsageError } from './usage.js';

/** Clusters at once with --contexts: each already runs --parallel pods. */
const CLUSTERS_AT_ONCE = 3;

type Connect = (target: KubeTarget) => Promise<KubeClient>;

async function connector(env: NodeJS.ProcessEnv): Promise<{ connect: Connect; contexts: (t: KubeTarget) => string[] }> {
  const { openKube, kubeContexts } = await import('../io/kube.js');
  return { connect: async (t) => openKube(t, env), contexts: (t) => kubeContexts(t, env) };
}

export interface ClusterOutcome {
  context: string | null;
  server: string | null;
  run: ClusterRun;
}

/** Runs `work` on each cluster the options name, a few at a time. */
export async function eachCluster(opts: FleetOptions, env: NodeJS.ProcessEnv, work: (client: KubeClient, context: string | null) => Promise<ClusterRun>): Promise<ClusterOutcome[]> {
  const { connect, contexts } = await connector(env);
  const base = { kubeconfig: opts.kubeconfig, timeoutMs: opts.timeoutMs };
  let names: (string | null)[];
  try {
    names = opts.contexts === null ? [opts.context] : opts.contexts[0] === '*' ? contexts({ ...base, context: null }) : opts.contexts;
  } catch (err) {
    if (err instanceof NoKubeconfig) throw new UsageError(err.message);
    throw err;
  }
  const out: ClusterOutcome[] = new Array(names.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CLUSTERS_AT_ONCE, names.length) }, async () => {
      while (next < names.length) {
        const i = next++;
        const context = names[i]!;
        let client: KubeClient;
        try {
          client = await connect({ ...base, context });
        } catch (err) {
          if (!(err instanceof NoKubeconfig)) throw err;
          if (opts.contexts === null) throw new UsageError(err.message);
          out[i] = { context, server: null, run: { nodes: [], problem: err.message, leftovers: [] } };
          continue;
        }
        out[i] = { context: client.context, server: client.server, run: await work(client, opts.contexts === null ? null : client.context) };
      }
    }),
  );
  return out;
}

export function fleetReportOf(outcomes: ClusterOutcome[]): FleetReport {
  return buildFleetReport(
    outcomes.flatMap((o) => o.run.nodes),
    outcomes.map((o) => ({ context: o.context, server: o.server, nodes: o.run.nodes.length, problem: o.run.problem })),
    TOOL,
  );
}

export function writeFleetReport(report: FleetReport, opts: FleetOptions, io: Io, notes: string[]): number {
  const mode = opts.output ?? (io.stdout.isTTY && !io.env.CI ? 'pretty' : 'text');
  if (mode === 'json') io.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else if (mode === 'junit') io.stdout.write(renderFleetJunit(report));
  else io.stdout.write(renderFleetText(report, makeStyle(opts.color ?? wantsColor(io.env, Boolean(io.stdout.isTTY), false)), opts.verbose));
  for (const note of notes) io.stderr.write(`prisma-audit fleet: ${note}\n`);
  return exitCodeFor(report.summary, opts.strict);
}


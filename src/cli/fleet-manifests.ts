// fleet --print-manifests and fleet --collect: the GitOps form of fleet mode.
import type { FleetOptions } from './fleet-args.js';
import type { Io } from './io.js';
import { clusters, fleetReportOf, writeFleetReport } from './fleet-output.js';
import { collectOn } from '../facts/fleet/collect.js';
import { discover } from '../facts/fleet/gather.js';
import { fleetManifests, type JobNode } from '../kube/fleet/manifests.js';
import { planMounts } from '../kube/fleet/mounts.js';
import { EXIT } from '../report/exit-codes.js';
import { UsageError } from './usage.js';
import { FactFailure } from '../facts/collector.js';

export async function printManifests(opts: FleetOptions, io: Io): Promise<number> {
  if (opts.contexts !== null) throw new UsageError("--print-manifests writes one cluster's manifests: use --context, not --contexts");
  let nodes: JobNode[];
  if (opts.nodes !== null) {
    // No API: the node's taints are unknown, so the Job tolerates every taint.
    nodes = opts.nodes.map((name) => ({
      node: { name, why: ['named with --nodes'], taints: [{ key: '', value: null, effect: '' }], ready: null, hasNodeObject: true },
      mounts: planMounts(null).mounts,
    }));
  } else {
    const found: JobNode[] = [];
    let problem: string | null = null;
    await clusters(opts, io, async (client) => {
      try {
        const d = await discover(client);
        const byNode = new Map((d.apiservers ?? []).map((p) => [p.node, p]));
        found.push(...d.nodes.map((node) => ({ node, mounts: planMounts(byNode.get(node.name) ?? null).mounts })));
        if (d.note) io.stderr.write(`prisma-audit fleet: ${d.note}\n`);
      } catch (err) {
        if (!(err instanceof FactFailure)) throw err;
        problem = err.error.hint ? `${err.message}. ${err.error.hint}` : err.message;
      }
      return { nodes: [], problem: null, leftovers: [] };
    });
    if (problem) {
      io.stderr.write(`prisma-audit fleet: ${problem}\n(or name the nodes with --nodes a,b,c)\n`);
      return EXIT.usage;
    }
    if (found.length === 0)
      io.stderr.write('prisma-audit fleet: no control-plane node found: the manifests hold no Job (name nodes with --nodes a,b,c)\n');
    nodes = found;
  }
  io.stdout.write(
    fleetManifests(nodes, {
      namespace: opts.namespace,
      image: opts.image,
      deadlineSeconds: Math.ceil(opts.deadlineMs / 1000),
      doctorArgs: opts.doctorArgs,
    }),
  );
  return EXIT.ok;
}

export async function collectJobs(opts: FleetOptions, io: Io): Promise<number> {
  const outcomes = await clusters(opts, io, (client, context) => collectOn(client, context, opts.namespace));
  return writeFleetReport(fleetReportOf(outcomes), opts, io, []);
}

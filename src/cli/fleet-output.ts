// The clusters of a fleet command, and their combined report written in the chosen mode; shared by
// the live run, --print-manifests and --collect.
import { buildFleetReport } from '../engine/fleet-report.js';
import { eachCluster, NoKubeconfig, type ClusterOutcome } from '../facts/fleet/clusters.js';
import type { FleetReport } from '../model/fleet.js';
import { exitCodeFor } from '../report/exit-codes.js';
import { renderFleetJunit } from '../report/fleet-junit.js';
import { renderFleetText } from '../report/fleet-text.js';
import { makeStyle, wantsColor } from '../report/style.js';
import type { FleetOptions } from './fleet-args.js';
import type { Io } from './io.js';
import { TOOL } from './tool.js';
import { UsageError } from './usage.js';

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
  return exitCodeFor({ summary: report.summary }, opts.strict);
}

/** eachCluster, with a kubeconfig or context that cannot be opened as the user's input error. */
export async function clusters(opts: FleetOptions, io: Io, work: Parameters<typeof eachCluster>[2]): Promise<ClusterOutcome[]> {
  try {
    return await eachCluster(opts, io.env, work);
  } catch (err) {
    if (err instanceof NoKubeconfig) throw new UsageError(err.message);
    throw err;
  }
}

// `prisma-audit fleet`: the doctor on every control-plane node, run by Kubernetes itself, with one
// combined report. Also --print-manifests (GitOps: apply the Jobs yourself) and --collect (read
// what those Jobs printed).
import { runFleetOn, type FleetRunOptions } from '../facts/fleet/gather.js';
import { EXIT } from '../report/exit-codes.js';
import { selectChecks } from './doctor.js';
import type { Io } from './io.js';
import type { FleetOptions } from './fleet-args.js';
import { clusters, fleetReportOf, writeFleetReport } from './fleet-output.js';

const POLL_MS = 1000;

export async function fleet(opts: FleetOptions, io: Io): Promise<number> {
  if (opts.doctorArgs.includes('--only') || opts.doctorArgs.includes('--skip')) {
    const at = (flag: string) => opts.doctorArgs[opts.doctorArgs.indexOf(flag) + 1];
    selectChecks(at('--only')?.split(',') ?? null, at('--skip')?.split(',') ?? []);
  }
  if (opts.printManifests) return (await import('./fleet-manifests.js')).printManifests(opts, io);
  if (opts.collect) return (await import('./fleet-manifests.js')).collectJobs(opts, io);
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) {
      io.stderr.write('prisma-audit fleet: interrupted again: exiting without waiting for pod deletion\n');
      process.exit(EXIT.interrupted);
    }
    io.stderr.write('prisma-audit fleet: interrupted: deleting the pods (Ctrl-C again to exit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = Boolean(io.stderr.isTTY) && opts.output !== 'json' && opts.output !== 'junit';
  const runOpts: FleetRunOptions = {
    namespace: opts.namespace,
    image: opts.image,
    parallel: opts.parallel,
    deadlineMs: opts.deadlineMs,
    keep: opts.keep,
    doctorArgs: opts.doctorArgs,
    pollMs: POLL_MS,
    signal: controller.signal,
    onNode: progress
      ? (r, done, total) =>
          io.stderr.write(
            `  [${done}/${total}] ${r.cluster ? `${r.cluster}/` : ''}${r.node}: ${r.outcome === 'checked' ? `checked (${r.report!.summary.fail} fail)` : r.reason}\n`,
          )
      : undefined,
  };
  try {
    const outcomes = await clusters(opts, io, (client, context) => runFleetOn(client, context, runOpts));
    const code = writeFleetReport(
      fleetReportOf(outcomes),
      opts,
      io,
      outcomes.flatMap((o) => o.run.leftovers),
    );
    return controller.signal.aborted ? EXIT.interrupted : code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

// Collector of the nodeLogs fact: the lines the kubelet and kube-apiserver logged on this node that
// the prefilter picks out, bounded and masked; the node-logs check judges them. Commands (journalctl,
// crictl) run only on the live node.
import { factFailure, type Collector } from '../collector.js';
import { notLive, readCrictl, readJournal, readLogFile, readNodeLogFiles, type SourceOptions } from '../../io/log-sources.js';
import { DEFAULT_SINCE, journalSince } from '../../logs/since.js';

/** Why the fleet pod reaches neither host command: it runs no host binary (no chroot into the
 * host, which would need a writable or privileged view of it), and the image holds only prisma-audit. */
const FLEET_POD_JOURNAL =
  'not read from the fleet pod: the journal is a binary format that needs journalctl, which the image does not hold, and the pod runs ' +
  'no host binaries; run `journalctl -u kubelet` on the node and pass the output with --log-file, or run prisma-audit doctor there';
const FLEET_POD_CRICTL =
  'not reached from the fleet pod: it is not given the container runtime socket (that would let it control every container on the ' +
  "node); the apiserver's container logs are read from /var/log/pods instead";

export const nodeLogsCollector: Collector<'nodeLogs'> = {
  key: 'nodeLogs',
  deps: [],
  async collect(ctx) {
    const since = ctx.since ?? DEFAULT_SINCE;
    const sinceArg = journalSince(since);
    if (sinceArg === null) throw factFailure('parse', `--since ${since} is not a duration`, 'Give --since as 24h, 30m, 2d or YYYY-MM-DD.');
    // A little under the engine's deadline, so commands end (and say so) before the fact times out.
    const opts: SourceOptions = { now: ctx.now, deadline: Date.now() + ctx.timeoutMs * 0.9, ...(ctx.signal ? { signal: ctx.signal } : {}) };
    const live = ctx.root === '/';
    const journalWhy = ctx.fleetPod ? FLEET_POD_JOURNAL : undefined;
    const crictlWhy = ctx.fleetPod ? FLEET_POD_CRICTL : undefined;
    const [journal, crictl, files, extra] = await Promise.all([
      live
        ? readJournal(sinceArg, process.getuid?.() === 0, opts)
        : notLive(`journalctl -u kubelet --since ${sinceArg}`, 'journal', ctx.root, journalWhy),
      live
        ? readCrictl(opts)
        : { sources: [notLive('crictl ps -a --name kube-apiserver', 'crictl', ctx.root, crictlWhy)], container: null },
      readNodeLogFiles(ctx.root, opts),
      Promise.all((ctx.logFiles ?? []).map((file) => readLogFile(file, file, 'log-file', opts))),
    ]);
    return { sources: [journal, ...crictl.sources, ...files, ...extra], container: crictl.container };
  },
};

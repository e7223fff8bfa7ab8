// How a cancelled command ends. The run's signal closes what it opened (sockets, child processes,
// timers), so the process normally ends by itself once the verdict is written. What no signal
// reaches — ink still loading after a Ctrl-C on the first frame, a DNS lookup or a read of a FIFO in
// libuv's thread pool — would hold it for as long as that takes: once stdout and stderr have taken
// everything, such a process ends with the command's code.
import type { Io } from './io.js';

const GRACE_MS = 50;

export function endOnceFlushed(code: number, io: Pick<Io, 'stdout' | 'stderr' | 'env'>): void {
  let open = 2;
  const flushed = () => {
    if (--open > 0) return;
    setTimeout(() => {
      // For the tests (and a bug report): what was still holding the process.
      if (io.env.PRISMA_AUDIT_DEBUG_EXIT)
        io.stderr.write(`prisma-audit: exit forced; still open: ${process.getActiveResourcesInfo().join(', ')}\n`);
      process.exit(code);
    }, GRACE_MS).unref();
  };
  io.stdout.write('', flushed);
  io.stderr.write('', flushed);
}

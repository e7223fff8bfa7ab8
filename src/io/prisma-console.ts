// Reads the Prisma console's Kubernetes audit settings: one GET with a Bearer token. Only reads:
// the same endpoint takes a POST that replaces every provider setting, which this tool never sends.
import { readFile } from 'node:fs/promises';
import { settingsUrl, type ConsoleTarget } from '../kube/console-target.js';

export interface ConsoleAnswer {
  status: number;
  body: string;
}

export class ConsoleUnreachable extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

const MAX_BODY = 1024 * 1024;

/** `signal` is the run's cancel: it aborts the request and its socket; only the deadline's own
 * expiry counts as a timeout. */
export async function getAuditSettings(target: ConsoleTarget, signal?: AbortSignal): Promise<ConsoleAnswer> {
  const ca = target.caFile ? await readFile(target.caFile, 'utf8') : undefined;
  const deadline = AbortSignal.timeout(target.timeoutMs);
  const { Agent, request } = await import('undici');
  const dispatcher = new Agent({
    connect: { ca, timeout: target.timeoutMs },
    headersTimeout: target.timeoutMs,
    bodyTimeout: target.timeoutMs,
  });
  try {
    const res = await request(settingsUrl(target.url), {
      method: 'GET',
      headers: { authorization: `Bearer ${target.token}`, accept: 'application/json' },
      dispatcher,
      signal: signal ? AbortSignal.any([deadline, signal]) : deadline,
    });
    let body = '';
    for await (const chunk of res.body) {
      body += chunk.toString();
      if (body.length > MAX_BODY) break;
    }
    return { status: res.statusCode, body };
  } catch (err) {
    signal?.throwIfAborted();
    const e = err as Error & { code?: string; name?: string };
    const timedOut = deadline.aborted || /Timeout/i.test(e.code ?? '');
    throw new ConsoleUnreachable(`${e.code ? `${e.code}: ` : ''}${e.message}`, timedOut);
  } finally {
    // close() would wait for a request still under way; after an abort there is nothing to wait for.
    await (signal?.aborted ? dispatcher.destroy() : dispatcher.close());
  }
}

// Reads the doctor's report out of a finished fleet pod's log: the framed document, checked
// against its checksum, or the reason there is none (with the log's last lines as evidence).
import { call } from '../cluster/api.js';
import type { KubeClient } from '../../io/kube-client.js';
import type { Report } from '../../model/report.js';
import { unframeDocument } from '../../kube/fleet/frame.js';
import { logReadProblem } from './log-answer.js';
import { CONTAINER } from '../../kube/fleet/pod-spec.js';

/** A report with every part of the doctor's JSON it is rendered from; bytes beyond this are a bug. */
const LOG_LIMIT = 32 * 1024 * 1024;
const TAIL_LINES_SHOWN = 5;

export type PodReport = { ok: true; report: Report } | { ok: false; reason: string; evidence: string[] };

/** The report in a log text (pure). */
export function reportFromLog(log: string, exitCode: number | null): PodReport {
  const framed = unframeDocument(log);
  if (!framed.ok) {
    const tail = log
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('prisma-audit:report:'))
      .slice(-TAIL_LINES_SHOWN);
    const exited =
      exitCode === null
        ? ''
        : ` (the doctor exited with code ${exitCode}${exitCode === 2 ? ': a usage error — is the image older than this prisma-audit?' : ''})`;
    return { ok: false, reason: `${framed.problem}${exited}`, evidence: tail.map((l) => `pod log: ${l.slice(0, 300)}`) };
  }
  let report: Report;
  try {
    report = JSON.parse(framed.doc) as Report;
  } catch {
    return { ok: false, reason: 'the framed report is not JSON', evidence: [] };
  }
  if (report.schemaVersion !== 1 || !Array.isArray(report.checks)) {
    return {
      ok: false,
      reason: `the pod's report has schemaVersion ${String(report.schemaVersion)}, which this prisma-audit does not read: use the same version for the CLI and the image`,
      evidence: [],
    };
  }
  return { ok: true, report };
}

export async function readPodReport(
  client: KubeClient,
  where: { namespace: string; pod: string; node: string },
  exitCode: number | null,
): Promise<PodReport> {
  const path = `/api/v1/namespaces/${encodeURIComponent(where.namespace)}/pods/${encodeURIComponent(where.pod)}/log?container=${CONTAINER}&limitBytes=${LOG_LIMIT}`;
  const res = await call(client, `get pods/log in ${where.namespace}`, { path, maxBytes: LOG_LIMIT });
  if (res.status !== 200) return { ok: false, reason: logReadProblem(res.status, res.body, where), evidence: [] };
  return reportFromLog(res.body, exitCode);
}

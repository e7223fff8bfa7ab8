// apiserverPodLogs: the current and previous container logs of each apiserver pod, read through the
// API with bounds (tailLines, limitBytes), and fed to the log signature scanner.
import { factFailure, type Collector } from '../collector.js';
import { scanLog } from '../../logs/scan.js';
import { summarizeNodeLogs } from '../../logs/summarize.js';
import type { LogHit, LogSourceReport } from '../../model/logs.js';
import type { KubeClient } from '../../io/kube-client.js';
import { call, kubeClient, refusal, statusMessage } from './api.js';
import type { ApiserverPod, ApiserverPodLogs, ContainerLogRead } from '../../model/cluster.js';

/** A crash-looping apiserver prints its fatal error in the last lines; 5000 lines cover a
 * verbose startup without pulling a day of request logs. */
export const TAIL_LINES = 5000;
export const LIMIT_BYTES = 4 * 1024 * 1024;
const NEED = 'get pods/log in kube-system';

/** The signatures in one container log, as the node-log summary reports them (source = the pod log). */
export async function hitsOf(source: string, text: string, now: Date): Promise<LogHit[]> {
  const scan = await scanLog([text], { now });
  const report: LogSourceReport = { name: source, kind: 'pod-log', state: 'used', reason: null, format: scan.format, bytes: scan.bytes };
  return summarizeNodeLogs([{ report, scan, starts: [] }], null).hits;
}

async function readAttempt(
  client: KubeClient,
  pod: ApiserverPod,
  attempt: ContainerLogRead['attempt'],
  now: Date,
): Promise<ContainerLogRead> {
  const container = encodeURIComponent(pod.config?.containerName ?? 'kube-apiserver');
  const path = `/api/v1/namespaces/kube-system/pods/${encodeURIComponent(pod.pod)}/log?container=${container}&tailLines=${TAIL_LINES}&limitBytes=${LIMIT_BYTES}${attempt === 'previous' ? '&previous=true' : ''}`;
  const res = await call(client, NEED, { path, maxBytes: LIMIT_BYTES });
  if (res.status === 401 || res.status === 403) throw refusal(client, NEED, res);
  if (res.status !== 200) {
    // 400 "previous terminated container ... not found", or the kubelet cannot be reached.
    const reason =
      attempt === 'previous' && res.status === 400
        ? 'no previous container attempt'
        : `the API server answered ${res.status}: ${statusMessage(res.body)}`;
    return { attempt, bytes: null, truncated: false, reason, hits: [] };
  }
  return {
    attempt,
    bytes: Buffer.byteLength(res.body),
    truncated: res.truncated,
    reason: null,
    hits: await hitsOf(`pods/log kube-system/${pod.pod} (${attempt})`, res.body, now),
  };
}

export const apiserverPodLogsCollector: Collector<'apiserverPodLogs'> = {
  key: 'apiserverPodLogs',
  deps: ['clusterApiservers'],
  async collect(ctx, deps) {
    const client = await kubeClient(ctx);
    const { pods } = await deps.need('clusterApiservers');
    if (pods.length === 0) throw factFailure('not-applicable', 'no kube-apiserver pod in kube-system whose logs could be read');
    return Promise.all(
      pods.map(async (pod): Promise<ApiserverPodLogs> => ({
        pod: pod.pod,
        node: pod.node,
        reads: await Promise.all((['current', 'previous'] as const).map((a) => readAttempt(client, pod, a, ctx.now))),
      })),
    );
  },
};

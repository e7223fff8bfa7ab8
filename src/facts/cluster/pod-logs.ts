// apiserverPodLogs: the current and previous container logs of each apiserver pod, read through the
// API with bounds (tailLines, limitBytes); the fact keeps their candidate lines, which the
// apiserver-logs check judges.
import { factFailure, type Collector } from '../collector.js';
import { scanLog } from '../../logs/scan.js';
import type { KubeClient } from '../../io/kube-client.js';
import { call, kubeClient, refusal, statusMessage } from './api.js';
import type { ApiserverPod, ApiserverPodLogs, ContainerLogRead } from '../../model/cluster.js';

/** A crash-looping apiserver prints its fatal error in the last lines; 5000 lines cover a
 * verbose startup without pulling a day of request logs. */
export const TAIL_LINES = 5000;
export const LIMIT_BYTES = 4 * 1024 * 1024;
const NEED = 'get pods/log in kube-system';

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
    return { attempt, bytes: null, truncated: false, reason, log: { format: null, lines: [], omitted: 0 } };
  }
  const { format, lines, omitted } = await scanLog([res.body], { now });
  return { attempt, bytes: Buffer.byteLength(res.body), truncated: res.truncated, reason: null, log: { format, lines, omitted } };
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

// apiserverPodLogs: the current and previous container logs of each apiserver pod, read through the
// API with bounds (tailLines, limitBytes), and fed to the log signature scanner.
import type { Collector } from '../facts/collector.js';
import { factFailure } from '../facts/collector.js';
import { scanLog } from '../logs/scan.js';
import { SIGNATURES } from '../logs/signatures.js';
import type { KubeClient } from './client.js';
import { call, kubeClient, refusal, statusMessage } from './api.js';
import type { ApiserverPod, ApiserverPodLogs, ContainerLogRead, PodLogHit } from './types.js';

/** A crash-looping apiserver prints its fatal error in the last lines; 5000 lines cover a
 * verbose startup without pulling a day of request logs. */
export const TAIL_LINES = 5000;
export const LIMIT_BYTES = 4 * 1024 * 1024;
const NEED = 'get pods/log in kube-system';

export async function hitsOf(text: string, now: Date): Promise<PodLogHit[]> {
  const result = await scanLog([text], { now });
  return [...result.counts.entries()].flatMap(([id, c]) => {
    const sig = SIGNATURES.find((s) => s.id === id);
    return sig ? [{ signature: id, severity: sig.severity, count: c.count, sample: c.sample, meaning: sig.meaning, implicates: sig.implicates, fix: sig.fix }] : [];
  });
}

async function readAttempt(client: KubeClient, pod: ApiserverPod, attempt: ContainerLogRead['attempt'], now: Date): Promise<ContainerLogRead> {
  const container = encodeURIComponent(pod.config?.containerName ?? 'kube-apiserver');
  const path = `/api/v1/namespaces/kube-system/pods/${encodeURIComponent(pod.pod)}/log?container=${container}&tailLines=${TAIL_LINES}&limitBytes=${LIMIT_BYTES}${attempt === 'previous' ? '&previous=true' : ''}`;
  const res = await call(client, NEED, { path, maxBytes: LIMIT_BYTES });
  if (res.status === 401 || res.status === 403) throw refusal(client, NEED, res);
  if (res.status !== 200) {
    // 400 "previous terminated container ... not found", or the kubelet cannot be reached.
    const reason = attempt === 'previous' && res.status === 400 ? 'no previous container attempt' : `the API server answered ${res.status}: ${statusMessage(res.body)}`;
    return { attempt, bytes: null, truncated: false, reason, hits: [] };
  }
  return { attempt, bytes: Buffer.byteLength(res.body), truncated: res.truncated, reason: null, hits: await hitsOf(res.body, now) };
}

export const apiserverPodLogsCollector: Collector<'apiserverPodLogs'> = {
  key: 'apiserverPodLogs',
  deps: ['clusterApiservers'],
  async collect(ctx, deps) {
    const client = await kubeClient(ctx.kube);
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

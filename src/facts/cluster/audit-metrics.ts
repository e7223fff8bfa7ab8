// auditMetrics: the audit counters from GET /metrics and, with --canary, the proof that events flow:
// one request the Prisma policy audits (create + delete a labelled ConfigMap), one batch interval,
// then the counters again.
import { FactFailure, type CollectContext, type Collector } from '../collector.js';
import type { KubeClient } from '../../io/kube-client.js';
import { call, kubeClient, refusal } from './api.js';
import { auditCounters, batchWaitMs, MAX_CANARY_WAIT_MS } from '../../kube/metrics.js';
import type { AuditCounters, CanaryRun } from '../../model/cluster.js';

const METRICS_NEED = 'get the non-resource URL /metrics';
/** Namespace the Prisma policy audits writes in (Defenders run there). */
const PRISMA_NAMESPACE = 'twistlock';
const CANARY_LABEL = 'prisma-audit.io/canary';

async function readCounters(client: KubeClient): Promise<AuditCounters> {
  const res = await call(client, METRICS_NEED, { path: '/metrics', maxBytes: 32 * 1024 * 1024 });
  if (res.status !== 200) throw refusal(client, METRICS_NEED, res);
  return auditCounters(res.body);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the counters every tenth of the window (at least every second) for the whole window. */
async function sample(client: KubeClient, windowMs: number): Promise<{ atMs: number; counters: AuditCounters }[]> {
  const every = Math.max(1000, Math.floor(windowMs / 10));
  const start = Date.now();
  const out: { atMs: number; counters: AuditCounters }[] = [];
  for (;;) {
    out.push({ atMs: Date.now() - start, counters: await readCounters(client) });
    if (Date.now() - start >= windowMs) return out;
    await sleep(Math.min(every, windowMs - (Date.now() - start)));
  }
}

/** Creates and deletes one labelled ConfigMap; returns a problem text instead of throwing, so the
 * counters read before are still reported. */
async function touchConfigMap(client: KubeClient, namespace: string, name: string, named: boolean): Promise<string | null> {
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`;
  const createNeed = `create configmaps in ${namespace}`;
  try {
    const created = await call(client, createNeed, {
      method: 'POST',
      path: base,
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, labels: { [CANARY_LABEL]: 'true', 'app.kubernetes.io/managed-by': 'prisma-audit' } },
        data: { purpose: 'prisma-audit doctor --canary: one audited write, deleted right away' },
      },
    });
    if (created.status === 404) {
      return named
        ? `namespace ${namespace} does not exist`
        : `namespace ${PRISMA_NAMESPACE} does not exist (the Prisma policy audits writes there); pass --canary NAMESPACE`;
    }
    if (created.status < 200 || created.status > 299) return refusal(client, createNeed, created).message;
    const deleteNeed = `delete configmaps in ${namespace}`;
    const deleted = await call(client, deleteNeed, { method: 'DELETE', path: `${base}/${name}` });
    if (deleted.status < 200 || deleted.status > 299)
      return `${refusal(client, deleteNeed, deleted).message}; ConfigMap ${namespace}/${name} was left behind`;
    return null;
  } catch (err) {
    if (err instanceof FactFailure) return err.message;
    throw err;
  }
}

export const auditMetricsCollector: Collector<'auditMetrics'> = {
  key: 'auditMetrics',
  deps: ['clusterApiservers'],
  // The canary waits one webhook batch on purpose; that wait is not a hang.
  waitsMs: (ctx: CollectContext) => (ctx.kube?.canaryNamespace !== undefined ? MAX_CANARY_WAIT_MS : 0) + (ctx.kube?.sampleMs ?? 0),
  async collect(ctx, deps) {
    const client = await kubeClient(ctx);
    const apiservers = await deps.fact('clusterApiservers');
    const pods = apiservers.ok ? apiservers.value.pods : [];
    const samples = ctx.kube?.sampleMs ? await sample(client, ctx.kube.sampleMs) : null;
    const counters = samples ? samples.at(-1)!.counters : await readCounters(client);
    const requested = ctx.kube?.canaryNamespace;
    if (requested === undefined) return { counters, canary: null, severalApiservers: pods.length > 1, samples };
    const namespace = requested ?? PRISMA_NAMESPACE;
    const configMap = `prisma-audit-canary-${ctx.now.getTime().toString(36)}`;
    const problem = await touchConfigMap(client, namespace, configMap, requested !== null);
    const waitedMs = problem ? 0 : batchWaitMs(pods) + 2_000;
    if (waitedMs > 0) await sleep(waitedMs);
    const canary: CanaryRun = {
      namespace,
      configMap,
      waitedMs,
      before: counters,
      after: problem ? counters : await readCounters(client),
      problem,
    };
    return { counters: canary.after, canary, severalApiservers: pods.length > 1, samples };
  },
};

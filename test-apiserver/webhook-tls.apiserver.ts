// Does the doctor's verdict agree with a real kube-apiserver 1.20? For each TLS situation, start an
// apiserver whose audit webhook points at a loopback receiver, make one audited request, and see
// whether the events arrive or the apiserver logs "Error in audit plugin 'webhook'". Then run the
// webhookProbe collector and both network checks on the same kubeconfig and compare.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { stringify } from 'yaml';
import type { Receiver } from '../test/helpers/https-server.js';
import { kubeconfigValue } from '../test/helpers/webhook-facts.js';
import { APISERVER_BIN, binariesPresent, startApiserver, startEtcd, type Etcd } from './cluster.js';
import { deliverable, doctor, makeSituationChains, SITUATIONS } from './webhook-situations.js';

const WEBHOOK_ERROR = "Error in audit plugin 'webhook'";

/** Waits for the apiserver's own outcome: events for our configmap at the receiver (delivered) or
 * the webhook error in its log (failed). */
async function apiserverOutcome(
  log: () => string,
  receiver: Receiver | null,
  marker: string,
  okStatus: boolean,
): Promise<{ delivered: boolean; error: string | null }> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const line = log()
      .split('\n')
      .find((l) => l.includes(WEBHOOK_ERROR));
    if (line) return { delivered: false, error: line };
    if (okStatus && receiver?.received.some((r) => r.body.includes(marker))) return { delivered: true, error: null };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`neither events nor "${WEBHOOK_ERROR}" within 30 s:\n${log().slice(-2000)}`);
}

const present = binariesPresent();
if (!present && process.env.CI) {
  throw new Error(
    `kube-apiserver or etcd missing (${APISERVER_BIN}); CI is set, so this suite must run: bash scripts/prepare-apiserver.sh`,
  );
}
if (!present)
  console.warn(
    `SKIPPING the real kube-apiserver suite: ${APISERVER_BIN} or etcd is absent. Build them with: bash scripts/prepare-apiserver.sh`,
  );

describe.skipIf(!present)('doctor verdict vs a real kube-apiserver 1.20 audit webhook', () => {
  let etcd: Etcd;
  beforeAll(async () => {
    makeSituationChains();
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  // A few apiservers at once (vitest.apiserver.config.ts maxConcurrency) share the one etcd.
  it.concurrent.for(SITUATIONS)('$name', async (situation, { expect }) => {
    const { receiver, kubeconfig } = await situation.setup();
    const apiserver = await startApiserver(etcd, stringify(kubeconfigValue(kubeconfig)));
    try {
      const marker = `audited-${Date.now()}`;
      expect(await apiserver.auditedRequest(marker)).toBe(201);
      const real = await apiserverOutcome(() => apiserver.proc.output(), receiver, marker, !situation.name.includes('404'));

      const { probe, findings } = await doctor(kubeconfig, situation.doctorVersion);
      const verdicts = findings.map((f) => `${f.status}: ${f.summary}`).join('\n');
      console.info(
        `${situation.name}\n  apiserver: ${real.delivered ? 'delivered' : real.error}\n  doctor:\n    ${verdicts.replace(/\n/g, '\n    ')}`,
      );

      expect(deliverable(findings), verdicts).toBe(real.delivered);
      if (situation.goError) {
        expect(real.error).toContain(situation.goError);
        expect(verdicts).toContain(situation.goError);
      }
      // The doctor's URL is the one the apiserver used (path kept, query dropped, ?timeout=30s or not).
      const loggedUrl = /Post "([^"]+)"/.exec(real.error ?? '')?.[1];
      if (loggedUrl) expect(probe.url).toBe(loggedUrl);
      const apiserverPost = receiver?.received.find((r) => r.body.includes(marker));
      if (apiserverPost) expect(new URL(probe.url).pathname + new URL(probe.url).search).toBe(apiserverPost.url);
    } finally {
      await apiserver.stop();
      await receiver?.close();
    }
  });
});

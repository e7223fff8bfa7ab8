// Webhook delivery over TLS on both oracles. Every situation of the 1.20.2 suite goes through
// Kubernetes 1.36's webhook code (the probe's `deliver`), and the situations where Go versions differ
// (small RSA keys, negative serial numbers, SHA-1 in the chain, name constraints, the serverAuth
// usage) go through the real 1.20.2 apiserver as well. The doctor, told the matching version, must
// say whether the event is delivered and quote the Go error the oracle logged.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { stringify } from 'yaml';
import { binariesPresent, startApiserver, startEtcd, type Etcd } from '../test-apiserver/cluster.js';
import { deliverable, doctor, makeSituationChains, SITUATIONS, type Situation } from '../test-apiserver/webhook-situations.js';
import { kubeconfigValue, type WebhookKubeconfig } from '../test/helpers/webhook-facts.js';
import { POLICY } from './startup-cases.js';
import { GO_SITUATIONS } from './go-situations.js';
import { captureLines, probePresent, runProbe } from './oracles.js';
import { V136 } from './versions.js';

const WEBHOOK_ERROR = "Error in audit plugin 'webhook'";

/** The Go error of a delivery failure: what follows `Post "<url>": ` (or the whole message). */
export function deliveryError(line: string): { url: string | null; error: string } {
  const message = line
    .slice(line.indexOf('audit events: ') + 'audit events: '.length)
    .split('\\n')[0]!
    .split('\n')[0]!;
  const post = /^Post "([^"]+)": (.*)$/.exec(message);
  return post ? { url: post[1]!, error: post[2]! } : { url: null, error: message };
}

export interface Delivery {
  delivered: boolean;
  /** The "Error in audit plugin 'webhook'" line, when not delivered. */
  line: string | null;
  output: string;
}

/** Kubernetes 1.36: `audit-oracle deliver` with the situation's kubeconfig and the Prisma policy. */
export async function deliver136(kubeconfig: WebhookKubeconfig): Promise<Delivery> {
  const dir = await mkdtemp(join(tmpdir(), 'prisma-audit-deliver-'));
  try {
    await writeFile(join(dir, 'policy.yaml'), POLICY);
    await writeFile(join(dir, 'audit-webhook.yaml'), stringify(kubeconfigValue(kubeconfig)));
    const res = await runProbe([
      'deliver',
      `--audit-policy-file=${join(dir, 'policy.yaml')}`,
      `--audit-webhook-config-file=${join(dir, 'audit-webhook.yaml')}`,
    ]);
    const output = res.stderr + res.stdout;
    if (res.code !== 0 && res.code !== 3) throw new Error(`audit-oracle deliver ended with ${res.code}:\n${output}`);
    return { delivered: res.code === 0, line: output.split('\n').find((l) => l.includes(WEBHOOK_ERROR)) ?? null, output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Kubernetes 1.20.2: a real apiserver, one audited request, events at the receiver or the error. */
async function deliver120(etcd: Etcd, kubeconfig: WebhookKubeconfig, received: () => string[]): Promise<Delivery> {
  const apiserver = await startApiserver(etcd, stringify(kubeconfigValue(kubeconfig)));
  try {
    const marker = `audited-${Date.now()}`;
    if ((await apiserver.auditedRequest(marker)) !== 201) throw new Error('the audited request failed');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const line = apiserver.proc
        .output()
        .split('\n')
        .find((l) => l.includes(WEBHOOK_ERROR));
      if (line) return { delivered: false, line, output: apiserver.proc.output() };
      if (received().some((b) => b.includes(marker))) return { delivered: true, line: null, output: '' };
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`neither events nor "${WEBHOOK_ERROR}" within 30 s`);
  } finally {
    await apiserver.stop();
  }
}

async function compare(
  s: Situation,
  version: string,
  run: (k: WebhookKubeconfig, received: () => string[]) => Promise<Delivery>,
  expect: import('vitest').ExpectStatic,
) {
  const { receiver, kubeconfig } = await s.setup();
  try {
    const real = await run(kubeconfig, () => receiver?.received.map((r) => r.body) ?? []);
    const { probe, findings } = await doctor(kubeconfig, version);
    const verdicts = findings.map((f) => `${f.status}: ${f.summary}`).join('\n');
    const got = real.line ? deliveryError(real.line) : null;
    if (real.line) await captureLines(version === V136 ? V136 : '1.20.2', s.name, real.line);
    console.info(
      `${s.name} [${version}]\n  oracle: ${real.delivered ? 'delivered' : got?.error}\n  doctor:\n    ${verdicts.replace(/\n/g, '\n    ')}`,
    );
    expect.soft(deliverable(findings), `${version}: ${real.delivered ? 'delivered' : real.line}\n${verdicts}`).toBe(real.delivered);
    if (got) {
      // "current time …" is each side's own clock.
      const clockless = (t: string) => t.replace(/current time \S+/g, 'current time T');
      expect.soft(clockless(verdicts), 'the doctor quotes the Go error the oracle logged').toContain(clockless(got.error));
      if (got.url) expect.soft(probe.url).toBe(got.url);
    }
  } finally {
    await receiver?.close();
  }
}

const present120 = binariesPresent();
const present136 = probePresent();
if (process.env.CI && !(present120 && present136))
  throw new Error('the version suite needs scripts/prepare-apiserver.sh and scripts/prepare-modern-audit.sh');

describe.skipIf(!present136)('webhook delivery: doctor vs Kubernetes 1.36 (Go 1.27 crypto)', () => {
  beforeAll(() => makeSituationChains());
  it.concurrent.for([...SITUATIONS, ...GO_SITUATIONS])('$name', async (s, { expect }) => {
    await compare(s, V136, (k) => deliver136(k), expect);
  });
});

describe.skipIf(!present120)('webhook delivery, Go-version situations: doctor vs kube-apiserver 1.20.2 (Go 1.19)', () => {
  let etcd: Etcd;
  beforeAll(async () => {
    makeSituationChains();
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd?.stop();
  });
  it.concurrent.for(GO_SITUATIONS)('$name', async (s, { expect }) => {
    await compare(s, s.doctorVersion ?? '1.20.2', (k, received) => deliver120(etcd, k, received), expect);
  });
});

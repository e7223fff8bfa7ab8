// For every policy and webhook-kubeconfig case: does kube-apiserver 1.20.2 start, does Kubernetes
// 1.36's audit code, and does the doctor, told the matching --kubernetes-version, say the same and
// quote the same first error?
import { afterAll, beforeAll, describe, it } from 'vitest';
import { binariesPresent, APISERVER_BIN, startEtcd, type Etcd } from '../test-apiserver/cluster.js';
import { removeTempDirs } from '../test/helpers/node-root.js';
import { doctorStartup, sameError } from './doctor.js';
import { PROBE_BIN, probePresent, startup120, startup136, type StartupOutcome } from './oracles.js';
import { STARTUP_CASES } from './startup-cases.js';
import { V120, V136 } from './versions.js';


const present = binariesPresent() && probePresent();
if (!present && process.env.CI) {
  throw new Error(`${APISERVER_BIN}, etcd or ${PROBE_BIN} missing; CI is set, so this suite must run: bash scripts/prepare-apiserver.sh && bash scripts/prepare-modern-audit.sh`);
}
if (!present) console.warn(`SKIPPING the version suite: ${APISERVER_BIN}, etcd or ${PROBE_BIN} is absent (scripts/prepare-apiserver.sh, scripts/prepare-modern-audit.sh)`);

const show = (o: StartupOutcome) => (o.exited ? `exits: ${o.error}` : 'starts');

describe.skipIf(!present)('start-up verdicts: doctor vs kube-apiserver 1.20.2 and Kubernetes 1.36', () => {
  let etcd: Etcd;
  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd?.stop();
    await removeTempDirs();
  });

  it('covers at least 40 cases', ({ expect }) => {
    expect(STARTUP_CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.concurrent.for(STARTUP_CASES)('$name', async (c, { expect }) => {
    const [real120, real136, doc120, doc136] = await Promise.all([startup120(etcd, c), startup136(c), doctorStartup(c, V120), doctorStartup(c, V136)]);
    console.info(`${c.name}\n  1.20.2: ${show(real120)}\n  doctor: ${doc120.exits ? `exits: ${doc120.error}` : 'starts'}\n  1.36.4: ${show(real136)}\n  doctor: ${doc136.exits ? `exits: ${doc136.error}` : 'starts'}`);
    // An exit the oracle cannot explain is a broken case, not a verdict.
    if (real120.exited) expect(real120.error, real120.output.slice(-2000)).not.toBeNull();
    if (real136.exited) expect(real136.error, real136.output.slice(-2000)).not.toBeNull();
    expect.soft(doc120.exits, `1.20.2 ${show(real120)}\ndoctor:\n${doc120.verdicts}`).toBe(real120.exited);
    expect.soft(sameError(doc120.error, real120.error), `1.20.2: ${real120.error}\ndoctor: ${doc120.error}`).toBe(true);
    expect.soft(doc136.exits, `1.36.4 ${show(real136)}\ndoctor:\n${doc136.verdicts}`).toBe(real136.exited);
    expect.soft(sameError(doc136.error, real136.error), `1.36.4: ${real136.error}\ndoctor: ${doc136.error}`).toBe(true);
  });
});

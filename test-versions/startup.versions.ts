// For every policy and webhook-kubeconfig case: does kube-apiserver 1.20.2 start, does Kubernetes
// 1.36's audit code, and does the doctor, told the matching --kubernetes-version, say the same and
// quote the same first error?
import { afterAll, beforeAll, describe, it } from 'vitest';
import { binariesPresent, APISERVER_BIN, startEtcd, type Etcd } from '../test-apiserver/cluster.js';
import { removeTempDirs } from '../test/helpers/node-root.js';
import { doctorStartup, sameError } from './doctor.js';
import { captureLines, PROBE_BIN, probePresent, startup120, startup136, type StartupOutcome } from './oracles.js';
import { STARTUP_CASES } from './startup-cases.js';
import { V120, V136 } from './versions.js';

const present120 = binariesPresent();
const present136 = probePresent();
if (!(present120 && present136) && process.env.CI) {
  throw new Error(
    `${APISERVER_BIN}, etcd or ${PROBE_BIN} missing; CI is set, so this suite must run: bash scripts/prepare-apiserver.sh && bash scripts/prepare-modern-audit.sh`,
  );
}
if (!present120)
  console.warn(`SKIPPING the 1.20.2 side of the version suite: ${APISERVER_BIN} or etcd is absent (scripts/prepare-apiserver.sh)`);
if (!present136) console.warn(`SKIPPING the 1.36 side of the version suite: ${PROBE_BIN} is absent (scripts/prepare-modern-audit.sh)`);

const show = (o: StartupOutcome) => (o.exited ? `exits: ${o.error}` : 'starts');

describe.skipIf(!present120 && !present136)('start-up verdicts: doctor vs kube-apiserver 1.20.2 and Kubernetes 1.36', () => {
  let etcd: Etcd | null = null;
  beforeAll(async () => {
    if (present120) etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd?.stop();
    await removeTempDirs();
  });

  it('covers at least 40 cases', ({ expect }) => {
    expect(STARTUP_CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.concurrent.for(STARTUP_CASES)('$name', async (c, { expect }) => {
    const sides = [
      ...(present120 ? [{ version: V120, run: () => startup120(etcd!, c) }] : []),
      ...(present136 ? [{ version: V136, run: () => startup136(c) }] : []),
    ];
    await Promise.all(
      sides.map(async ({ version, run }) => {
        const [real, doc] = await Promise.all([run(), doctorStartup(c, version)]);
        await captureLines(version, c.name, real.output);
        console.info(`${c.name} [${version}]\n  oracle: ${show(real)}\n  doctor: ${doc.exits ? `exits: ${doc.error}` : 'starts'}`);
        // An exit the oracle cannot explain is a broken case, not a verdict.
        if (real.exited) expect(real.error, real.output.slice(-2000)).not.toBeNull();
        if (c.knownDisagreement) {
          expect(
            doc.exits === real.exited && sameError(doc.error, real.error),
            `now agrees: remove knownDisagreement (${c.knownDisagreement})`,
          ).toBe(false);
          return;
        }
        expect.soft(doc.exits, `${version} ${show(real)}\ndoctor:\n${doc.verdicts}`).toBe(real.exited);
        expect.soft(sameError(doc.error, real.error), `${version}: ${real.error}\ndoctor: ${doc.error}`).toBe(true);
      }),
    );
  });
});

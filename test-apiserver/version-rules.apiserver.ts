// The version-rules table against the real kube-apiserver 1.20.2: each row's example stops it when
// the row is in force on 1.20 (its output as the row says), and starts cleanly when the row comes
// later. Another oracle (a newer binary) can run the same rows: only the version differs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION_RULES, versionAtLeast } from '../src/checks/version-rules.js';
import { APISERVER_BIN, binariesPresent, startApiserver, startEtcd, type Etcd } from './cluster.js';

const present = binariesPresent();
if (!present && process.env.CI) throw new Error(`CI is set but ${APISERVER_BIN} is missing: run scripts/prepare-apiserver.sh`);

const ORACLE = '1.20.2';
const WEBHOOK = `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:9/api/v1/kubernetes/webhook/x"}
contexts:
- name: w
  context: {cluster: c}
current-context: w
`;
const rows = VERSION_RULES.filter((r) => r.example !== null).map((r) => [r.id, r] as const);

describe.skipIf(!present)(`version rules on a real kube-apiserver ${ORACLE}`, () => {
  let etcd: Etcd;
  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  it.each(rows)(
    '%s',
    async (_id, r) => {
      const example = r.example!;
      const start = () =>
        startApiserver(etcd, WEBHOOK, { ...(example.policy ? { policy: example.policy } : {}), flags: example.flags ?? [] });
      if (versionAtLeast(ORACLE, r.since)) {
        await expect(start()).rejects.toThrow(example.output);
        return;
      }
      // Not in force yet: the same setting starts, and says nothing of the later change.
      const apiserver = await start();
      try {
        expect(apiserver.proc.output()).not.toContain(example.output);
      } finally {
        await apiserver.stop();
      }
    },
    120_000,
  );
});

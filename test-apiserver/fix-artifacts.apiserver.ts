// Issue 5's proof: what `prisma-audit fix` generates for a broken node (webhook kubeconfig, audit
// policy, manifest flags) makes a real kube-apiserver 1.20 deliver audit events to the console.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastFlag } from '../src/parse/flags.js';
import { readApiserverContainer } from '../src/parse/pod.js';
import { parseYaml } from '../src/parse/yaml-file.js';
import { CLI, REPO } from '../test/helpers/cli.js';
import { httpsReceiver, type Receiver } from '../test/helpers/https-server.js';
import { makeChain } from '../test/helpers/pki.js';
import { APISERVER_BIN, binariesPresent, startApiserver, startEtcd, type Apiserver, type Etcd } from './cluster.js';

const run = promisify(execFile);
const present = binariesPresent();
if (!present && process.env.CI) throw new Error(`CI is set but ${APISERVER_BIN} is missing: run scripts/prepare-apiserver.sh`);

describe.skipIf(!present)('fix artifacts on a real kube-apiserver 1.20.2', () => {
  let etcd: Etcd;
  let receiver: Receiver;
  let apiserver: Apiserver | null = null;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prisma-audit-fix-apiserver-'));
    const chain = makeChain({ name: 'Console' });
    receiver = await httpsReceiver([chain.leaf.cert, chain.intermediate.cert], chain.leaf.key.privateKeyPem);
    await writeFile(join(dir, 'console-ca.pem'), chain.root.cert);
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await apiserver?.stop();
    await receiver?.close();
    await etcd?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Fixes a copy of kubeadm-broken with `args`, starts kube-apiserver on the files fix wrote, and
   * waits for the canary write to reach the loopback console. */
  async function fixAndDeliver(name: string, args: string[]): Promise<{ description: string }> {
    const root = join(dir, name);
    await cp(join(REPO, 'fixtures/scenarios/kubeadm-broken/root'), root, { recursive: true });
    const url = `https://127.0.0.1:${receiver.port}/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=`;
    // Exit 0: every fix applied; node-logs still holds the old startup failure, which only the
    // restart clears, and fix says so instead of failing on it.
    const fixed = await run(process.execPath, [CLI, 'fix', '--root', root, '--apply', '--yes', '--webhook-url', url, ...args, '--json'], {
      cwd: dir,
    });
    const result = JSON.parse(fixed.stdout) as {
      fixes: { id: string; state: string; artifacts: { description: string }[] }[];
      awaitingRestart: { checks: { id: string }[] } | null;
    };
    expect(result.awaitingRestart?.checks.map((c) => c.id)).toEqual(['node-logs']);
    const applied = result.fixes.filter((f) => f.state === 'applied').map((f) => f.id);
    expect(applied.sort()).toEqual(['audit-policy', 'manifest-patch', 'webhook-kubeconfig']);

    // The patched manifest names the files (container paths, mounted from the same host paths).
    const manifest = parseYaml(await readFile(join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'), 'utf8'));
    const { flags } = readApiserverContainer(manifest.value, manifest.lines);
    const policyPath = lastFlag(flags, 'audit-policy-file')!.value!;
    const webhookPath = lastFlag(flags, 'audit-webhook-config-file')!.value!;
    const auditFlags = flags
      .filter((f) => /^audit-webhook-(mode|batch|truncate|version|initial)/.test(f.name))
      .map((f) => `--${f.name}${f.value === null ? '' : `=${f.value}`}`);
    await apiserver?.stop();
    apiserver = await startApiserver(etcd, await readFile(join(root, webhookPath), 'utf8'), {
      policy: await readFile(join(root, policyPath), 'utf8'),
      flags: auditFlags,
    });

    // The Prisma policy audits writes in twistlock: the event is recorded even though the
    // namespace does not exist and the request is refused.
    const canary = `prisma-audit-canary-${name}`;
    await apiserver.auditedRequest(canary, 'twistlock');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !receiver.received.some((r) => r.body.includes(canary))) await new Promise((r) => setTimeout(r, 200));
    const batch = receiver.received.find((r) => r.body.includes(canary));
    expect(batch, apiserver.proc.output().slice(-2000)).toBeDefined();
    expect(batch!.method).toBe('POST');
    expect(JSON.parse(batch!.body)).toMatchObject({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1' });
    expect(apiserver.proc.output()).not.toContain("Error in audit plugin 'webhook'");
    return result.fixes.find((f) => f.id === 'webhook-kubeconfig')!.artifacts[0]!;
  }

  it('with --ca-file, the fixed kubeadm-broken node delivers events for a write in the twistlock namespace', async () => {
    await fixAndDeliver('with-ca-file', ['--ca-file', join(dir, 'console-ca.pem')]);
  });

  it('without --ca-file, the anchor fix takes from the live chain (the top intermediate) is one kube-apiserver accepts', async () => {
    const artifact = await fixAndDeliver('live-chain', []);
    expect(artifact.description).toMatch(/CN=Console Intermediate CA, SHA-256 [0-9A-F:]+, the topmost intermediate CA it sends/);
  });
});

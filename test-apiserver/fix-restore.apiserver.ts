// Issue 16's proof: a kubeadm node whose audit flags an upgrade dropped (the policy and the webhook
// kubeconfig still in /etc/kubernetes/audit) is repaired by `fix --apply` with no URL argument, and
// a real kube-apiserver 1.20.2 started on the restored flags delivers events.
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

describe.skipIf(!present)('fix restores dropped audit flags on a real kube-apiserver 1.20.2', () => {
  let etcd: Etcd;
  let receiver: Receiver;
  let apiserver: Apiserver | null = null;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prisma-audit-restore-apiserver-'));
    const chain = makeChain({ name: 'Console' });
    receiver = await httpsReceiver([chain.leaf.cert, chain.intermediate.cert], chain.leaf.key.privateKeyPem);
    etcd = await startEtcd();
    // The files the operator wrote before the upgrade: this console, its root as CA data.
    const root = join(dir, 'root');
    await cp(join(REPO, 'fixtures/scenarios/kubeadm-flags-dropped/root'), root, { recursive: true });
    // The live file and the tool's own earlier backup of it (the fixture keeps one) name the same console:
    // two different candidates would rightly make fix ask which one to restore.
    for (const rel of [
      'etc/kubernetes/audit/audit-webhook.yaml',
      'var/backups/prisma-audit/20261101-101500/etc/kubernetes/audit/audit-webhook.yaml',
    ]) {
      const webhook = join(root, rel);
      const text = (await readFile(webhook, 'utf8'))
        .replace(/server: .*/, `server: https://127.0.0.1:${receiver.port}/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=`)
        .replace(/certificate-authority-data: .*/, `certificate-authority-data: ${Buffer.from(chain.root.cert).toString('base64')}`);
      await writeFile(webhook, text);
    }
  });
  afterAll(async () => {
    await apiserver?.stop();
    await receiver?.close();
    await etcd?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('fix --apply (no --webhook-url) restores the flags, and the apiserver on them delivers a twistlock write', async () => {
    const root = join(dir, 'root');
    const fixed = await run(process.execPath, [CLI, 'fix', '--root', root, '--apply', '--yes', '--json'], { cwd: dir });
    const result = JSON.parse(fixed.stdout) as { fixes: { id: string; state: string; artifacts: { description: string }[] }[] };
    expect(result.fixes.map((f) => [f.id, f.state])).toEqual([['manifest-patch', 'applied']]);
    expect(result.fixes[0]!.artifacts[0]!.description).toContain(
      'restored --audit-webhook-config-file=/etc/kubernetes/audit/audit-webhook.yaml',
    );

    // The restored manifest names the files the upgrade left behind, mounted from the same host paths.
    const manifest = parseYaml(await readFile(join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml'), 'utf8'));
    const pod = readApiserverContainer(manifest.value, manifest.lines);
    const policyPath = lastFlag(pod.flags, 'audit-policy-file')!.value!;
    const webhookPath = lastFlag(pod.flags, 'audit-webhook-config-file')!.value!;
    expect(pod.mounts.some((m) => m.mountPath === '/etc/kubernetes/audit')).toBe(true);
    apiserver = await startApiserver(etcd, await readFile(join(root, webhookPath), 'utf8'), {
      policy: await readFile(join(root, policyPath), 'utf8'),
    });

    const canary = 'prisma-audit-canary-restored';
    await apiserver.auditedRequest(canary, 'twistlock');
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline && !receiver.received.some((r) => r.body.includes(canary))) await new Promise((r) => setTimeout(r, 200));
    const batch = receiver.received.find((r) => r.body.includes(canary));
    expect(batch, apiserver.proc.output().slice(-2000)).toBeDefined();
    expect(JSON.parse(batch!.body)).toMatchObject({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1' });
    expect(apiserver.proc.output()).not.toContain("Error in audit plugin 'webhook'");
  });
});

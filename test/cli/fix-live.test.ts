// fix against a live loopback console: the webhook-kubeconfig fix takes its CA from the chain the
// console presents, judged as kube-apiserver's Go judges it, and is tried against the endpoint
// before it is offered.
import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewFix } from '../../src/cli/fix-preview.js';
import type { Report } from '../../src/model/report.js';
import { resolveKubeconfig } from '../../src/parse/kubeconfig.js';
import { REPO } from '../helpers/cli.js';
import { closedPort, httpsReceiver, type Receiver } from '../helpers/https-server.js';
import { copyRoot, hashTree, removeTempDirs, runIn, tempDir } from '../helpers/node-root.js';
import { makeChain, type Chain } from '../helpers/pki.js';

const WEBHOOK = 'etc/kubernetes/audit/audit-webhook.yaml';
const SUFFIX = '/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=';
const b64 = (pem: string) => Buffer.from(pem).toString('base64');

let chain: Chain;
let stale: Chain;
let console: Receiver;
let notFound: Receiver;

beforeAll(async () => {
  chain = makeChain({ name: 'Console' });
  stale = makeChain({ name: 'Reinstalled' });
  console = await httpsReceiver([chain.leaf.cert, chain.intermediate.cert, chain.root.cert], chain.leaf.key.privateKeyPem);
  notFound = await httpsReceiver([chain.leaf.cert, chain.intermediate.cert, chain.root.cert], chain.leaf.key.privateKeyPem, {
    status: 404,
  });
});
afterAll(async () => {
  await Promise.all([console.close(), notFound.close()]);
  await removeTempDirs();
});

/** The healthy kubeadm root, its webhook pointed at `port` with CA data `caPem`. */
async function nodeFor(port: number, caPem: string): Promise<string> {
  const root = await copyRoot('fixtures/scenarios/kubeadm-healthy/root');
  const file = path.join(root, WEBHOOK);
  const text = await fs.readFile(file, 'utf8');
  await fs.writeFile(
    file,
    text
      .replace(/server: .*/, `server: https://127.0.0.1:${port}${SUFFIX}`)
      .replace(/certificate-authority-data: .*/, `certificate-authority-data: ${b64(caPem)}`),
  );
  return root;
}

async function doctor(root: string): Promise<Report> {
  return JSON.parse((await runIn(REPO, ['doctor', '--root', root, '--json', '--timeout', '2'])).stdout) as Report;
}

async function fix(root: string, ...args: string[]) {
  const r = await runIn(await tempDir('cwd'), ['fix', '--root', root, '--json', '--timeout', '2', ...args]);
  expect(r.stderr).toBe('');
  const json = JSON.parse(r.stdout) as {
    fixes: {
      id: string;
      state: string;
      withheld: string | null;
      refusal: { reason: string } | null;
      remaining: string[];
      artifacts: { description: string }[];
    }[];
    checksAfter: { id: string; status: string }[] | null;
    out: string | null;
  };
  return { code: r.code, ...json };
}

/** The certificate the webhook kubeconfig pins (PEM line endings differ between forge and Node). */
async function pinned(root: string): Promise<string> {
  const caData = resolveKubeconfig(parse(await fs.readFile(path.join(root, WEBHOOK), 'utf8'))).caData!;
  return new X509Certificate(Buffer.from(caData, 'base64')).fingerprint256;
}
const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
const status = (report: Report, id: string) => report.checks.find((c) => c.id === id)!.status;

describe.concurrent('fix with the live chain', { timeout: 60_000 }, () => {
  it('replaces the CA data of a reinstalled console with the root it presents; the chain then verifies', async () => {
    const root = await nodeFor(console.port, stale.root.cert);
    const before = await doctor(root);
    expect(before.checks.find((c) => c.id === 'webhook-tls-chain')).toMatchObject({
      status: 'fail',
      remediation: { fix: 'webhook-kubeconfig' },
    });
    const result = await fix(root, '--apply', '--yes');
    expect(result.code).toBe(0);
    expect(result.fixes).toEqual([expect.objectContaining({ id: 'webhook-kubeconfig', state: 'applied' })]);
    expect(result.fixes[0]!.artifacts[0]!.description).toMatch(
      /CN=Console Root CA, SHA-256 [0-9A-F:]{95}, the self-signed root CA it sends/,
    );
    expect(result.checksAfter).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'webhook-tls-chain', status: 'pass' })]));
    expect(await pinned(root)).toBe(fingerprint(chain.root.cert));
    const after = await doctor(root);
    expect([status(after, 'webhook-tls-chain'), status(after, 'webhook-reachable'), status(after, 'webhook-ca-data')]).toEqual([
      'pass',
      'pass',
      'pass',
    ]);
  });

  it('with --offline judges the files only: the chain is not looked at and nothing changes', async () => {
    const root = await nodeFor(console.port, stale.root.cert);
    const hashes = await hashTree(root);
    const result = await fix(root, '--offline');
    expect(result.code).toBe(0);
    expect(result.fixes).toEqual([]);
    expect(await hashTree(root)).toEqual(hashes);
  });

  it('refuses a --ca-file that the live chain does not build to, and changes nothing', async () => {
    const root = await nodeFor(console.port, stale.root.cert);
    const wrong = path.join(await tempDir('ca'), 'wrong.pem');
    await fs.writeFile(wrong, stale.intermediate.cert);
    const hashes = await hashTree(root);
    const result = await fix(root, '--apply', '--yes', '--ca-file', wrong);
    expect(result.code).toBe(3);
    expect(result.fixes[0]).toMatchObject({
      id: 'webhook-kubeconfig',
      state: 'refused',
      refusal: {
        reason: expect.stringMatching(
          /--ca-file does not verify the chain 127\.0\.0\.1:\d+ presents: x509: certificate signed by unknown authority/,
        ),
      },
    });
    expect(await hashTree(root)).toEqual(hashes);
  });

  it('reads the chain of a new --webhook-url and pins its root', async () => {
    const other = makeChain({ name: 'Moved' });
    const moved = await httpsReceiver([other.leaf.cert, other.intermediate.cert, other.root.cert], other.leaf.key.privateKeyPem);
    try {
      const root = await nodeFor(await closedPort(), chain.root.cert);
      const result = await fix(root, '--apply', '--yes', '--webhook-url', `https://127.0.0.1:${moved.port}${SUFFIX}`);
      expect(result.fixes[0]).toMatchObject({ id: 'webhook-kubeconfig', state: 'applied' });
      expect(result.fixes[0]!.artifacts[0]!.description).toMatch(/CN=Moved Root CA/);
      expect(await pinned(root)).toBe(fingerprint(other.root.cert));
      // Verification tried the new file against the endpoint, as the apiserver would post to it.
      expect(moved.received.map((r) => r.method)).toContain('POST');
    } finally {
      await moved.close();
    }
  });

  it('withholds a new URL that makes a working endpoint check fail (404: a wrong suffix)', async () => {
    const root = await nodeFor(console.port, chain.root.cert);
    const hashes = await hashTree(root);
    const result = await fix(root, '--apply', '--yes', '--webhook-url', `https://127.0.0.1:${notFound.port}${SUFFIX}`);
    expect(result.code).toBe(3);
    expect(result.fixes[0]).toMatchObject({
      id: 'webhook-kubeconfig',
      state: 'withheld',
      withheld: expect.stringMatching(/webhook-reachable fail.*404/),
    });
    expect(await hashTree(root)).toEqual(hashes);
  });

  it('pins the right CA, offers the file, and exits 3 naming what it cannot change (a certificate without serverAuth)', async () => {
    // Go judges the chain before the key usage: the stale CA hides the usage problem until the
    // anchor is right.
    const clientOnly = makeChain({ name: 'ClientOnly', leaf: { extKeyUsage: ['clientAuth'] } });
    const server = await httpsReceiver(
      [clientOnly.leaf.cert, clientOnly.intermediate.cert, clientOnly.root.cert],
      clientOnly.leaf.key.privateKeyPem,
    );
    try {
      const root = await nodeFor(server.port, stale.root.cert);
      const result = await fix(root);
      expect(result.code).toBe(3);
      const webhook = result.fixes.find((f) => f.id === 'webhook-kubeconfig')!;
      expect(webhook.state).toBe('planned');
      expect(webhook.remaining).toEqual([
        expect.stringMatching(
          /^webhook-tls-chain still fails for a reason this fix cannot change: .*x509: certificate specifies an incompatible key usage/,
        ),
      ]);
      // The plan folder's README says it too, for whoever copies the files by hand.
      expect(await fs.readFile(path.join(result.out!, 'README.md'), 'utf8')).toMatch(
        /Still failing after this fix \(it cannot change this\): webhook-tls-chain/,
      );
    } finally {
      await server.close();
    }
  });

  it('says what still fails for a new --webhook-url whose endpoint could not be judged before', async () => {
    const misnamed = makeChain({
      name: 'Misnamed',
      leaf: { commonName: 'console.other.example', dnsNames: ['console.other.example'], ips: [] },
    });
    const server = await httpsReceiver(
      [misnamed.leaf.cert, misnamed.intermediate.cert, misnamed.root.cert],
      misnamed.leaf.key.privateKeyPem,
    );
    try {
      const root = await nodeFor(await closedPort(), chain.root.cert);
      const result = await fix(root, '--webhook-url', `https://127.0.0.1:${server.port}${SUFFIX}`);
      expect(result.code).toBe(3);
      const webhook = result.fixes.find((f) => f.id === 'webhook-kubeconfig')!;
      expect(webhook.state).toBe('planned');
      expect(webhook.remaining).toEqual([
        expect.stringMatching(
          /^webhook-tls-chain fails against the endpoint with the new file: .*x509: cannot validate certificate for 127\.0\.0\.1 because it doesn't contain any IP SANs/,
        ),
      ]);
    } finally {
      await server.close();
    }
  });

  it("the doctor UI's fix key previews the same live-chain fix, with its diff, without touching the node", async () => {
    const root = await nodeFor(console.port, stale.root.cert);
    const hashes = await hashTree(root);
    const cwd = await tempDir('cwd');
    const preview = await previewFix(
      { root, manifest: null, fix: 'webhook-kubeconfig', now: new Date(), offline: false, timeoutMs: 2000, console: null },
      cwd,
    );
    expect(preview.lines.join('\n')).toMatch(/webhook-kubeconfig +PLANNED[\s\S]*CN=Console Root CA, SHA-256/);
    const diff = preview.diff.join('\n');
    expect(diff).toContain(`-    certificate-authority-data: ${b64(stale.root.cert)}`);
    expect(diff).toMatch(/^\+ +certificate-authority-data: LS0t/m);
    expect(await hashTree(root)).toEqual(hashes);
  });

  it('a closed port costs no fix its place: the file fixes are offered, the port is left to the user', async () => {
    const root = await copyRoot('fixtures/scenarios/kubeadm-broken/root');
    const result = await fix(
      root,
      '--webhook-url',
      `https://127.0.0.1:${await closedPort()}${SUFFIX}`,
      '--ca-file',
      path.join(REPO, 'fixtures/shared/demo-console-ca.pem'),
    );
    expect(result.fixes.map((f) => [f.id, f.state])).toEqual([
      ['manifest-patch', 'planned'],
      ['webhook-kubeconfig', 'planned'],
      ['audit-policy', 'planned'],
    ]);
  });
});

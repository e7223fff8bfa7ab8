import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { auditLayout } from '../../src/fixes/generators/layout.js';
import type { LiveChain } from '../../src/fixes/generators/live-anchor.js';
import { isRefusal, type FixOptions, type WriteArtifact } from '../../src/fixes/types.js';
import { webhookKubeconfig } from '../../src/fixes/generators/webhook-kubeconfig.js';
import { readPemBlocks } from '../../src/parse/ca-data.js';
import { otherWebhookOwner } from '../../src/parse/webhook-owner.js';
import { resolveKubeconfig } from '../../src/parse/kubeconfig.js';
import { apiserverFact, fixOptions, parsedFact, pod } from '../helpers/fix-facts.js';
import { makeChain, type Chain } from '../helpers/pki.js';

const PATH = '/etc/kubernetes/audit/audit-webhook.yaml';
const api = apiserverFact(pod([`--audit-webhook-config-file=${PATH}`]));
const layout = auditLayout((api as { ok: true; value: never }).value, false);
const PEM = readFileSync(new URL('../../fixtures/shared/demo-console-ca.pem', import.meta.url), 'latin1');
const URL_SELF = 'https://console.example.com:8083/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=';
const URL_SAAS = 'https://us-east1.cloud.twistlock.com/us-2-158254964/api/v1/kubernetes/webhook/abc=';
const base64 = Buffer.from(PEM).toString('base64');

const existing = (cluster: string) =>
  parsedFact(
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n${cluster}\ncontexts:\n- name: w\n  context:\n    cluster: c\ncurrent-context: w\n`,
    PATH,
  );

function run(file: string | null, opts: Partial<FixOptions> = {}) {
  return webhookKubeconfig({ apiserver: api, ...(file ? { webhookConfig: existing(file) } : {}) }, layout, fixOptions(opts));
}

function generated(file: string | null, opts: Partial<FixOptions> = {}) {
  const result = run(file, opts);
  if (isRefusal(result)) throw new Error(result.reason);
  const a = result[0] as WriteArtifact;
  const kc = resolveKubeconfig(parse(a.contents));
  expect(kc.problems).toEqual([]);
  expect(a.contents).not.toMatch(/^users:/m);
  return { a, kc };
}

describe('webhook-kubeconfig', () => {
  it.each([
    ['no URL anywhere', null, {}, /no webhook URL/],
    ['an empty server and no --webhook-url', '    server: ""', {}, /no webhook URL/],
    ['a template placeholder', '    server: https://$CONSOLE/api/v1/kubernetes/webhook/x', {}, /unusable.*template/],
    ['an http --webhook-url', null, { webhookUrl: 'http://console:8083/api/v1/kubernetes/webhook/x' }, /https only/],
    ['a CA file without certificates', null, { webhookUrl: URL_SELF, caPem: 'not a pem' }, /no parseable CERTIFICATE/],
    // The webhook-url check's own judgment: a URL it fails is never kept.
    [
      'an in-cluster service name',
      '    server: https://twistlock-console.twistlock.svc:8083/api/v1/kubernetes/webhook/x=',
      {},
      /current server URL is unusable: .*in-cluster service name/,
    ],
    [
      'a SaaS URL without the tenant segment',
      null,
      { webhookUrl: 'https://us-east1.cloud.twistlock.com/api/v1/kubernetes/webhook/x=' },
      /--webhook-url is unusable: a SaaS console URL without the tenant/,
    ],
  ])('refuses %s', (_name, file, opts, reason) => {
    const result = run(file, opts);
    expect(isRefusal(result) && result.reason).toMatch(reason);
  });

  it('encodes --ca-file as one base64 line that decodes to the PEM', () => {
    const { kc } = generated(null, { webhookUrl: URL_SELF, caPem: PEM });
    expect(kc.server).toBe(URL_SELF);
    expect(kc.caData).toBe(base64);
    expect(readPemBlocks(Buffer.from(kc.caData!, 'base64')).certs).toHaveLength(1);
  });

  it.each([
    ['wrapped at 76 columns', `    certificate-authority-data: ${base64.match(/.{1,76}/g)!.join('\n      ')}`],
    [
      'pasted as raw PEM',
      `    certificate-authority-data: |\n${PEM.trimEnd()
        .split('\n')
        .map((l) => `      ${l}`)
        .join('\n')}`,
    ],
  ])('keeps existing CA data %s, re-encoded on one line', (_name, ca) => {
    const { a, kc } = generated(`    server: ${URL_SELF}\n${ca}`);
    expect(kc.caData).toBe(base64);
    expect(a.description).toMatch(/existing CA certificates/);
  });

  it("writes the URL the console expects (--console) over the file's own", () => {
    const fromConsole = URL_SELF.replace(/webhook\/.*$/, 'webhook/NewSuffix=');
    const { kc } = generated(`    server: ${URL_SELF}`, { consoleWebhookUrl: fromConsole });
    expect(kc.server).toBe(fromConsole);
  });

  it('refuses a --webhook-url the console contradicts, printing neither suffix', () => {
    const result = run(null, { webhookUrl: URL_SELF, consoleWebhookUrl: URL_SELF.replace(/webhook\/.*$/, 'webhook/NewSuffix=') });
    expect(isRefusal(result) && result.reason).toMatch(
      /--webhook-url differs from the webhook URL the console given with --console expects/,
    );
    expect(JSON.stringify(result)).not.toMatch(/Rov4TLMx1UiaJuP99OyulwQVUT0=|NewSuffix=/);
  });

  it("refuses to fall back to the file's URL when --console could not tell the URL", () => {
    const result = run(`    server: ${URL_SELF}`, {
      consoleProblem: 'the console could not be read: GET https://c/api/v1/settings/kubernetes-audit was refused (401 Unauthorized)',
    });
    expect(isRefusal(result) && result.reason).toMatch(/^--console was given, but the console could not be read: .*401/);
  });

  it('drops a query string, which client-go drops before posting anyway', () => {
    const { kc } = generated(`    server: ${URL_SELF}?source=guide`);
    expect(kc.server).toBe(URL_SELF);
  });

  it('leaves CA data out for a SaaS console and says why', () => {
    const { a, kc } = generated(`    server: ${URL_SAAS}\n    certificate-authority-data: ${base64}`);
    expect(kc.caData).toBeNull();
    expect(a.description).toMatch(/SaaS console/);
  });

  it('names the cluster and context consistently, keeping the existing cluster name', () => {
    const { kc } = generated(`    server: ${URL_SELF}`);
    expect(kc).toMatchObject({ currentContext: 'webhook', contextName: 'webhook', clusterName: 'c', userName: 'kube-apiserver' });
  });
});

describe('webhook-kubeconfig with the live chain', () => {
  let chain: Chain;
  let other: Chain;
  beforeAll(() => {
    chain = makeChain();
    other = makeChain({ name: 'Other' });
  });
  const b64 = (pem: string) => Buffer.from(pem).toString('base64');
  const live = (currentAnchors: string[] | null, presented = [chain.leaf.cert, chain.intermediate.cert, chain.root.cert]): LiveChain => ({
    endpoint: 'console.example.com:8083',
    serverName: 'localhost',
    presented,
    refuseSha1: true,
    currentAnchors,
  });

  it('keeps CA data that verifies the live chain', () => {
    const { kc, a } = generated(`    server: ${URL_SELF}\n    certificate-authority-data: ${b64(chain.intermediate.cert)}`, {
      liveChain: live([chain.intermediate.cert]),
    });
    expect(kc.caData).toBe(b64(chain.intermediate.cert));
    expect(a.description).toMatch(/existing CA certificates/);
  });

  it.each([
    ['stale CA data (a reinstalled console)', () => `    certificate-authority-data: ${b64(other.root.cert)}`, () => [other.root.cert]],
    ['no CA data on a self-signed console', () => '', () => [other.root.cert]],
    ['CA data that is not base64', () => '    certificate-authority-data: "%%%"', () => []],
  ])('replaces %s with the root the console presents, fingerprint in the description', (_name, ca, current) => {
    const { kc, a } = generated(`    server: ${URL_SELF}\n${ca()}`, { liveChain: live(current()) });
    expect(kc.caData).toBe(b64(chain.root.cert));
    expect(a.description).toContain(new X509Certificate(chain.root.cert).fingerprint256);
  });

  it('judges the existing CA data itself when the current anchors are unknown (a new --webhook-url)', () => {
    const stale = generated(`    server: ${URL_SELF}\n    certificate-authority-data: ${b64(other.root.cert)}`, { liveChain: live(null) });
    expect(stale.kc.caData).toBe(b64(chain.root.cert));
    const good = generated(`    server: ${URL_SELF}\n    certificate-authority-data: ${b64(chain.root.cert)}`, { liveChain: live(null) });
    expect(good.a.description).toMatch(/existing CA certificates/);
  });

  it('writes no CA data when the system roots already verify the chain', () => {
    const { kc } = generated(`    server: ${URL_SELF}`, { liveChain: live([chain.root.cert, other.root.cert]) });
    expect(kc.caData).toBeNull();
  });

  it("refuses a --ca-file that does not verify the live chain, with Go's error", () => {
    const result = run(`    server: ${URL_SELF}`, { caPem: other.root.cert, liveChain: live([]) });
    expect(isRefusal(result) && result.reason).toMatch(
      /--ca-file does not verify the chain console.example.com:8083 presents: x509: certificate signed by unknown authority/,
    );
  });

  it('uses a --ca-file that verifies the live chain, and says so', () => {
    const { kc, a } = generated(`    server: ${URL_SELF}`, { caPem: chain.root.cert, liveChain: live([]) });
    expect(kc.caData).toBe(b64(chain.root.cert));
    expect(a.description).toMatch(/it verifies the chain console.example.com:8083 presents/);
  });

  it('leaves insecure-skip-tls-verify as the user set it', () => {
    const { kc } = generated(`    server: ${URL_SELF}\n    insecure-skip-tls-verify: true`, { liveChain: live([]) });
    expect(kc).toMatchObject({ caData: null, insecureSkipTLSVerify: true });
  });

  it('never pins a SaaS console, whatever the live chain', () => {
    const { kc } = generated(`    server: ${URL_SAAS}\n    certificate-authority-data: ${b64(other.root.cert)}`, {
      liveChain: live([other.root.cert]),
    });
    expect(kc.caData).toBeNull();
  });
});

describe('webhook-kubeconfig on real-world files', () => {
  const REAL = fileURLToPath(new URL('../../fixtures/real-world/webhook-kubeconfigs', import.meta.url));
  it.each(readdirSync(REAL))(
    '%s: regenerated with --webhook-url, it resolves cleanly and keeps a usable server only when https',
    (file) => {
      const text = readFileSync(`${REAL}/${file}`, 'utf8');
      const facts = { apiserver: api, webhookConfig: parsedFact(text, PATH) };
      const opts = fixOptions();
      const kept = webhookKubeconfig(facts, layout, opts);
      // None of these servers is a Prisma https URL: without --webhook-url each is refused with the reason.
      expect(isRefusal(kept) && kept.reason).toMatch(/unusable|no webhook URL|replaces it/);
      // A file feeding another receiver (Falco, Sysdig ...) is only replaced with --replace-webhook.
      const owner = otherWebhookOwner(resolveKubeconfig(facts.webhookConfig.ok ? facts.webhookConfig.value.value : null).server);
      const unasked = webhookKubeconfig(facts, layout, { ...opts, webhookUrl: URL_SELF });
      expect(isRefusal(unasked)).toBe(owner !== null);
      const result = webhookKubeconfig(facts, layout, { ...opts, webhookUrl: URL_SELF, replaceWebhook: true });
      if (isRefusal(result)) throw new Error(result.reason);
      const kc = resolveKubeconfig(parse((result[0] as WriteArtifact).contents));
      expect(kc.problems).toEqual([]);
      expect(kc.server).toBe(URL_SELF);
    },
  );
});

// The console settings collector against a loopback HTTPS console (generated certificate).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prismaSettingsCollector } from '../../src/facts/console/settings.js';
import type { ConsoleTarget } from '../../src/kube/console-target.js';
import { FactFailure, type CollectContext, type DepReader } from '../../src/facts/collector.js';
import { EMPTY_TOKEN, GOOD_TOKEN, SUFFIX, startFakeConsole, type FakeConsole } from '../helpers/prisma-console.js';

const deps = {} as DepReader;
const ctx = (target: ConsoleTarget | null): CollectContext => ({
  root: '/',
  manifest: null,
  kubernetesVersion: null,
  timeoutMs: 2000,
  offline: false,
  now: new Date(),
  console: target,
});

async function failure(target: ConsoleTarget) {
  try {
    await prismaSettingsCollector.collect(ctx(target), deps);
  } catch (err) {
    if (err instanceof FactFailure) return err.error;
    throw err;
  }
  throw new Error('expected the collector to fail');
}

describe('prismaSettings collector', () => {
  let selfHosted: FakeConsole;
  let saas: FakeConsole;
  let caFile: string;
  let saasCa: string;

  beforeAll(async () => {
    [selfHosted, saas] = await Promise.all([startFakeConsole(), startFakeConsole('/us-2-158254964')]);
    const dir = await mkdtemp(join(tmpdir(), 'prisma-console-'));
    [caFile, saasCa] = [join(dir, 'ca.pem'), join(dir, 'saas-ca.pem')];
    await Promise.all([writeFile(caFile, selfHosted.caPem), writeFile(saasCa, saas.caPem)]);
  });
  afterAll(async () => {
    await Promise.all([selfHosted.close(), saas.close()]);
  });

  const target = (t: Partial<ConsoleTarget>): ConsoleTarget => ({ url: selfHosted.url, token: GOOD_TOKEN, caFile, timeoutMs: 2000, ...t });

  it('reads webhookUrlSuffix with the Bearer token, and only reads', async () => {
    expect(await prismaSettingsCollector.collect(ctx(target({})), deps)).toEqual({ console: selfHosted.url, webhookUrlSuffix: SUFFIX });
    expect(selfHosted.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('keeps the SaaS tenant path in front of /api', async () => {
    const settings = await prismaSettingsCollector.collect(ctx(target({ url: `${saas.url}/`, caFile: saasCa })), deps);
    expect(settings).toEqual({ console: saas.url, webhookUrlSuffix: SUFFIX });
    expect(saas.requests.at(-1)?.url).toBe('/us-2-158254964/api/v1/settings/kubernetes-audit');
  });

  it('returns an empty suffix when the console settings are empty', async () => {
    expect((await prismaSettingsCollector.collect(ctx(target({ token: EMPTY_TOKEN })), deps)).webhookUrlSuffix).toBe('');
  });

  it('turns 401 into a permission failure that never shows the token', async () => {
    const error = await failure(target({ token: 'wrong-token-123456' }));
    expect(error.reason).toBe('permission');
    expect(error.message).toBe(`GET ${selfHosted.url}/api/v1/settings/kubernetes-audit was refused (401 Unauthorized)`);
    expect(JSON.stringify(error)).not.toContain('wrong-token-123456');
  });

  it('turns a console that never answers into a timeout', async () => {
    const error = await failure(target({ url: `${selfHosted.url}/hang`, timeoutMs: 300 }));
    expect(error.reason).toBe('timeout');
  });

  it('reports an untrusted certificate as io, with the --console-ca hint', async () => {
    const error = await failure(target({ caFile: null }));
    expect(error.reason).toBe('io');
    expect(error.message).toMatch(/UNABLE_TO_GET_ISSUER_CERT_LOCALLY: unable to get local issuer certificate/);
    expect(error.hint).toContain('--console-ca');
  });

  it('is not applicable without --console', async () => {
    await expect(prismaSettingsCollector.collect(ctx(null), deps)).rejects.toMatchObject({ error: { reason: 'not-applicable' } });
  });
});

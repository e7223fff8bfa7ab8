// The demo console issues its chain at start-up: a real TLS server whose certificate verifies against
// the CA it generated (and no other), and that answers like the Prisma console.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoConsole, type DemoConsole } from '../../src/facts/demo-console.js';
import { REPO } from '../helpers/cli.js';

let demo: DemoConsole;
beforeAll(async () => {
  demo = await startDemoConsole(0);
});
afterAll(() => demo.close());

function post(ca: string, url: string, method = 'POST'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`https://127.0.0.1:${demo.port}${url}`, { method, ca }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end('{}');
  });
}

describe('demo console', () => {
  it('serves a chain issued now for 127.0.0.1 by the CA it reports', async () => {
    expect(demo.listening).toBe(true);
    expect(demo.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(await post(demo.caPem, '/api/v1/kubernetes/webhook/suffix')).toBe(200);
    expect(await post(demo.caPem, '/elsewhere', 'GET')).toBe(404);
  });

  it('is not trusted with the CA the demo node pins (the console was "reinstalled")', async () => {
    const kubeconfig = readFileSync(path.join(REPO, 'fixtures/demo/root/etc/kubernetes/audit/audit-webhook.yaml'), 'utf8');
    const pinned = Buffer.from(/certificate-authority-data: (\S+)/.exec(kubeconfig)![1]!, 'base64').toString('utf8');
    expect(pinned).toMatch(/^-----BEGIN CERTIFICATE-----/);
    await expect(post(pinned, '/api/v1/kubernetes/webhook/suffix')).rejects.toThrow(/unable to verify|self.signed|unknown/i);
  });

  it('issues a new chain each start: no key is shipped or reused', async () => {
    const other = await startDemoConsole(0);
    try {
      expect(other.caPem).not.toBe(demo.caPem);
    } finally {
      await other.close();
    }
  });
});

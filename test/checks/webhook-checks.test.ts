import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { webhookCaData } from '../../src/checks/webhook-ca-data.js';
import { webhookConfigValid } from '../../src/checks/webhook-config-valid.js';
import { webhookUrl } from '../../src/checks/webhook-url.js';
import { REPO } from '../helpers/cli.js';
import { evaluate, ok, parsedFile } from '../helpers/facts.js';

const PEM = readFileSync(path.join(REPO, 'fixtures/shared/demo-console-ca.pem'), 'utf8');
const B64 = Buffer.from(PEM).toString('base64');

function kubeconfig({
  server = 'https://console.example.com:8083/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=',
  ca = B64 as string | null,
  extra = '',
} = {}) {
  return `apiVersion: v1
kind: Config
clusters:
- name: prisma
  cluster:
    server: ${server}
${ca === null ? '' : `    certificate-authority-data: ${ca}\n`}${extra}contexts:
- name: webhook
  context:
    cluster: prisma
    user: kube-apiserver
current-context: webhook
`;
}
const run = (check: typeof webhookUrl, text: string) =>
  evaluate(check, { webhookConfig: ok(parsedFile(text, '/etc/kubernetes/audit/audit-webhook.yaml')) });

describe('webhook-config-valid', () => {
  it.each([
    [kubeconfig(), 'pass'],
    [kubeconfig({ server: '' }), 'fail'],
    [kubeconfig().replace('current-context: webhook', 'current-context: other'), 'fail'],
    [kubeconfig().replace('cluster: prisma\n', 'cluster: nosuch\n'), 'fail'],
    [kubeconfig({ extra: '    certificate-authority: /etc/kubernetes/audit/ca.pem\n' }), 'fail'],
    [kubeconfig({ extra: '    insecure-skip-tls-verify: true\n' }), 'fail'],
    [kubeconfig({ ca: null, extra: '    insecure-skip-tls-verify: true\n' }), 'warn'],
    ['', 'fail'],
    [`clusters:\n- name: a\n  cluster:\n    server: "x\n`, 'fail'],
  ])('%#: %s', (text, want) => expect(run(webhookConfigValid, text).status).toBe(want));

  it('quotes the apiserver for an empty server, with the line', () => {
    const f = run(webhookConfigValid, kubeconfig({ server: '' }));
    expect(f.summary).toContain('/etc/kubernetes/audit/audit-webhook.yaml:6');
    expect(f.summary).toContain('invalid configuration: no server found for cluster "prisma"');
  });
});

describe('webhook-url', () => {
  it.each([
    ['https://console.example.com:8083/api/v1/kubernetes/webhook/abc=', 'pass'],
    ['https://us-east1.cloud.twistlock.com/us-2-158254964/api/v1/kubernetes/webhook/abc=', 'pass'],
    ['https://us-east1.cloud.twistlock.com/api/v1/kubernetes/webhook/abc=', 'fail'],
    ['http://console.example.com:8083/api/v1/kubernetes/webhook/abc=', 'fail'],
    ['https://console.example.com:8083/api/v1/kubernetes/webhook/', 'fail'],
    ['https://console.example.com:8083/', 'fail'],
    ['https://twistlock-console.twistlock.svc:8083/api/v1/kubernetes/webhook/abc=', 'fail'],
    ['https://console.example.com:8083/api/v1/kubernetes/webhook/abc=?x=1', 'warn'],
    ['https://$CONSOLE/api/v1/kubernetes/webhook/abc=', 'fail'],
    ['console.example.com/api/v1/kubernetes/webhook/abc=', 'fail'],
  ])('%s -> %s', (server, want) => expect(run(webhookUrl, kubeconfig({ server })).status).toBe(want));
});

describe('webhook-ca-data', () => {
  const wrapped = B64.replace(/(.{76})/g, '$1\n      ');
  it.each([
    [kubeconfig(), 'pass'],
    [kubeconfig({ ca: 'not!base64' }), 'fail'],
    [kubeconfig({ ca: wrapped }), 'fail'],
    [kubeconfig({ ca: `|\n      ${B64.replace(/(.{76})/g, '$1\n      ')}` }), 'pass'],
    [kubeconfig({ ca: Buffer.from(B64).toString('base64') }), 'fail'],
    [kubeconfig({ ca: null }), 'warn'],
    [kubeconfig({ ca: null, server: 'https://us-east1.cloud.twistlock.com/us-2-1/api/v1/kubernetes/webhook/abc=' }), 'pass'],
    [kubeconfig({ server: 'https://us-east1.cloud.twistlock.com/us-2-1/api/v1/kubernetes/webhook/abc=' }), 'warn'],
  ])('%#: %s', (text, want) => expect(run(webhookCaData, text).status).toBe(want));

  it('names double base64 and the versions it breaks', () => {
    const f = run(webhookCaData, kubeconfig({ ca: Buffer.from(B64).toString('base64') }));
    expect(f.summary).toMatch(/encoded twice/);
    expect(f.summary).toMatch(/1\.22/);
  });

  it('reports a private key pasted as CA data', () => {
    const key = Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n').toString('base64');
    expect(run(webhookCaData, kubeconfig({ ca: key })).summary).toMatch(/PRIVATE KEY/);
  });

  it('fails when every CA certificate has expired', () => {
    const f = evaluate(webhookCaData, { webhookConfig: ok(parsedFile(kubeconfig())) }, new Date('2200-01-01'));
    expect(f.status).toBe('fail');
  });
});

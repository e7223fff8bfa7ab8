// Plants every kind of secret in every input of a node and checks that not one byte of any of them
// leaves through a bundle, doctor --json or doctor's text output.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decompressed, jsonEntry } from '../helpers/archive.js';
import { REPO, runCli } from '../helpers/cli.js';

const rand = (label: string) => `${label}${randomBytes(12).toString('hex')}`;
const keyBody = [randomBytes(48).toString('base64'), randomBytes(48).toString('base64')];
const pem = `-----BEGIN EC PRIVATE KEY-----\n${keyBody.join('\n')}\n-----END EC PRIVATE KEY-----\n`;
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const jwtSignature = randomBytes(24).toString('base64url');
const S = {
  suffix: `${randomBytes(18).toString('base64').replace(/\//g, 'x')}=`,
  envToken: rand('envtok'),
  envPassword: rand('envpw'),
  flagSecret: rand('flagsecret'),
  userToken: rand('usertok'),
  userPassword: rand('userpw'),
  clientKeyData: Buffer.from(pem).toString('base64'),
  keyLine0: keyBody[0]!,
  keyLine1: keyBody[1]!,
  commentToken: rand('commenttok'),
  passphraseWord: rand('phrase'),
  bearer: rand('bearer'),
  jwt: `${b64url('{"alg":"RS256","kid":"x"}')}.${b64url(`{"sub":"${rand('sub')}"}`)}.${jwtSignature}`,
  jwtSignature,
  prismaToken: rand('prisma'),
};

const tmp = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-secrets-'));
const root = path.join(tmp, 'root');
const env = { PRISMA_TOKEN: S.prismaToken };

function edit(file: string, change: (text: string) => string): void {
  const p = path.join(root, file);
  writeFileSync(p, change(readFileSync(p, 'utf8')));
}

beforeAll(() => {
  cpSync(path.join(REPO, 'fixtures/scenarios/kubeadm-healthy/root'), root, { recursive: true });
  edit('etc/kubernetes/manifests/kube-apiserver.yaml', (t) =>
    t
      .replace(
        '    - --tls-private-key-file=',
        `    - --oidc-client-secret=${S.flagSecret}\n    - --token-auth-file=/etc/kubernetes/tokens.csv\n    - --tls-private-key-file=`,
      )
      .replace(
        '    imagePullPolicy: IfNotPresent\n',
        `    imagePullPolicy: IfNotPresent\n    env:\n    - name: PRISMA_API_TOKEN\n      value: ${S.envToken}\n    - name: DB_PASSWORD\n      value: "${S.envPassword}"\n`,
      ),
  );
  edit(
    'etc/kubernetes/audit/audit-webhook.yaml',
    (t) =>
      t.replace('Rov4TLMx1UiaJuP99OyulwQVUT0=', S.suffix) +
      `users:\n- name: kube-apiserver\n  user:\n    token: ${S.userToken}\n    password: ${S.userPassword}\n    client-key-data: ${S.clientKeyData}\n`,
  );
  edit('etc/kubernetes/audit/audit-policy.yaml', (t) =>
    [
      `# token: ${S.commentToken}`,
      `# password: "correct horse ${S.passphraseWord}"`,
      `# Authorization: Bearer ${S.bearer}`,
      `# jwt ${S.jwt}`,
      `# suffix ${S.suffix}`,
      ...pem
        .trim()
        .split('\n')
        .map((l) => `# ${l}`),
      t,
    ].join('\n'),
  );
  const logDir = path.join(root, 'var/log/pods/kube-system_kube-apiserver-node1_0123/kube-apiserver');
  mkdirSync(logDir, { recursive: true });
  const line = (msg: string) => `2026-11-27T08:00:00.000000000Z stderr F ${msg}`;
  writeFileSync(
    path.join(logDir, '0.log'),
    [
      line(
        `E1127 08:00:00.000000 1 webhook.go:1] Post "https://console.example.com:8083/api/v1/kubernetes/webhook/${S.suffix}?timeout=30s": EOF`,
      ),
      line(`suffix alone ${S.suffix} token ${S.userToken} password ${S.userPassword}`),
      line(`Authorization: Bearer ${S.bearer} jwt=${S.jwt} PRISMA_TOKEN=${S.prismaToken} prisma ${S.prismaToken}`),
      line(`env ${S.envToken} ${S.envPassword} flag ${S.flagSecret} key ${S.clientKeyData}`),
      ...pem.trim().split('\n').map(line),
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function expectNoSecret(haystack: Buffer | string, where: string): void {
  const text = Buffer.isBuffer(haystack) ? haystack.toString('latin1') : haystack;
  for (const [kind, value] of Object.entries(S)) expect(text.includes(value), `${kind} leaked into ${where}`).toBe(false);
}

describe('redaction of planted secrets', () => {
  it('leaves no planted secret anywhere in the decompressed bundle', async () => {
    const out = path.join(tmp, 'bundle.tar.gz');
    const r = await runCli(['bundle', '--root', root, '--out', out], { env });
    expect(r.code, r.stderr).toBe(0);
    expectNoSecret(decompressed(out), 'the bundle');
    // The log excerpt made it in (redacted), so the test did look at log lines.
    const index = await jsonEntry<{ files: { name: string }[] }>(out, 'index.json');
    expect(index.files.map((f) => f.name)).toContain('files/var/log/pods/kube-system_kube-apiserver-node1_0123/kube-apiserver/0.log');
    const redactions = await jsonEntry<Record<string, Record<string, number>>>(out, 'redactions.json');
    expect(Object.keys(redactions['files/etc/kubernetes/audit/audit-webhook.yaml']!)).toEqual(expect.arrayContaining(['literal']));
    expect(redactions['files/var/log/pods/kube-system_kube-apiserver-node1_0123/kube-apiserver/0.log']).toMatchObject({
      literal: expect.any(Number),
    });
  });

  it('leaves no planted secret in doctor --json or text output', async () => {
    const [json, text] = await Promise.all([
      runCli(['doctor', '--root', root, '--json'], { env }),
      runCli(['doctor', '--root', root, '--verbose'], { env }),
    ]);
    expect(json.stdout).toContain('"checks"');
    expectNoSecret(json.stdout + json.stderr, 'doctor --json');
    expectNoSecret(text.stdout + text.stderr, 'doctor text output');
  });

  it('keeps the suffix only with --include-suffix, still masking everything else', async () => {
    const out = path.join(tmp, 'with-suffix.tar.gz');
    await runCli(['bundle', '--root', root, '--out', out, '--include-suffix'], { env });
    const bytes = decompressed(out).toString('latin1');
    expect(bytes).toContain(`/api/v1/kubernetes/webhook/${S.suffix}`);
    const { suffix: _kept, ...others } = S;
    for (const [kind, value] of Object.entries(others)) expect(bytes.includes(value), `${kind} leaked`).toBe(false);
  });
});

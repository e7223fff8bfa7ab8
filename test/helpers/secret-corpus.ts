// A node root with secrets planted in every input the tool reads, in every form an adversarial pass
// found (issue 14): manifest flags and env, the webhook kubeconfig in every YAML form, exec and
// auth-provider config, URL userinfo, credential files named by flags, and log lines. Every planted
// value is random and recorded, so a test can grep every output byte for it.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from './cli.js';

export interface Planted {
  /** What form it was planted in (shown when it leaks). */
  form: string;
  value: string;
}

const rand = (n = 12) => randomBytes(n).toString('hex');
const b64 = (s: string) => Buffer.from(s).toString('base64');
/** base64 as GNU base64 writes it: wrapped at 76 columns. */
const wrap = (s: string, width: number) => s.match(new RegExp(`.{1,${width}}`, 'g'))!;

function pemKey(kind: string): { pem: string; body: string[] } {
  const body = Array.from({ length: 4 }, () => randomBytes(48).toString('base64'));
  return { pem: `-----BEGIN ${kind}-----\n${body.join('\n')}\n-----END ${kind}-----\n`, body };
}

export class SecretCorpus {
  readonly planted: Planted[] = [];

  constructor(readonly root: string) {}

  /** A fresh secret, recorded under its form. */
  secret(form: string, make: () => string = () => `s${rand()}`): string {
    const value = make();
    this.planted.push({ form, value });
    return value;
  }

  /** Records the pieces of a long text (a key, its base64): no 32-character run of it may leak. */
  private pieces(form: string, text: string): void {
    const flat = text.replace(/\s+/g, '');
    for (let at = 0; at + 32 <= flat.length; at += 32) this.planted.push({ form: `${form} [${at}]`, value: flat.slice(at, at + 32) });
  }

  private key(form: string, kind = 'EC PRIVATE KEY'): { pem: string; body: string[] } {
    const k = pemKey(kind);
    k.body.forEach((line, i) => this.planted.push({ form: `${form} line ${i + 1}`, value: line }));
    return k;
  }

  private edit(file: string, change: (text: string) => string): void {
    const p = path.join(this.root, file);
    writeFileSync(p, change(readFileSync(p, 'utf8')));
  }

  private write(file: string, text: string): void {
    mkdirSync(path.dirname(path.join(this.root, file)), { recursive: true });
    writeFileSync(path.join(this.root, file), text);
  }

  /** Copies the healthy kubeadm node and plants everything; returns the suffix (for --include-suffix). */
  plant(): { suffix: string; env: NodeJS.ProcessEnv } {
    cpSync(path.join(REPO, 'fixtures/scenarios/kubeadm-healthy/root'), this.root, { recursive: true });
    const suffix = this.secret('webhook suffix', () => `${randomBytes(18).toString('base64').replace(/\//g, 'x').slice(0, 22)}+Q=`);
    const s = (form: string) => this.secret(form);
    const env = { PRISMA_TOKEN: s('PRISMA_TOKEN of the user running the tool') };

    // --- the apiserver manifest: flags and env in every spelling ---
    const proxyUser = s('proxy URL user in env');
    const proxyPw = s('proxy URL password in env');
    const flags = [
      `--oidc-client-secret=${this.secret('secret-named flag with / in its value', () => `${rand(6)}/${rand(6)}+${rand(4)}`)}`,
      `--etcd-password=${s('--etcd-password flag')}`,
      `--token-auth-file=/etc/kubernetes/tokens.csv`,
      `--basic-auth-file=/etc/kubernetes/basic.csv`,
      `--api-key=${s('--api-key flag')}`,
    ];
    const envBlock = [
      `    env:`,
      `    - name: PRISMA_API_TOKEN`,
      `      value: ${s('secret-named env value (plain)')}`,
      `    - name: DB_PASSWORD`,
      `      value: "${s('secret-named env value (double-quoted)')}"`,
      `    - {name: CLIENT_SECRET, value: '${s('secret-named env value (flow mapping)')}'}`,
      `    - name: HTTPS_PROXY`,
      `      value: http://${proxyUser}:${proxyPw}@proxy.internal:3128`,
      `    - name: NO_PROXY`,
      `      value: 127.0.0.1,localhost`,
    ];
    this.edit('etc/kubernetes/manifests/kube-apiserver.yaml', (t) =>
      t
        .replace('    - --tls-private-key-file=', `${flags.map((f) => `    - ${f}`).join('\n')}\n    - --tls-private-key-file=`)
        .replace('    imagePullPolicy: IfNotPresent\n', `    imagePullPolicy: IfNotPresent\n${envBlock.join('\n')}\n`),
    );
    // Credential files named by flags: never read into a bundle, even through a log's symlink.
    this.write('etc/kubernetes/tokens.csv', `${s('--token-auth-file contents')},admin,1,"system:masters"\n`);
    this.write('etc/kubernetes/basic.csv', `${s('--basic-auth-file contents')},admin,1\n`);
    this.write('etc/kubernetes/pki/apiserver-etcd-client.key', this.key('--etcd-keyfile contents', 'RSA PRIVATE KEY').pem);
    symlinkSync('/etc/kubernetes/tokens.csv', path.join(this.root, 'var/log/kube-apiserver.log'));

    // --- the webhook kubeconfig: every YAML form of every credential field ---
    const blockKey = this.key('client-key-data as a `|` block (key)');
    const blockB64 = wrap(b64(blockKey.pem), 64);
    this.pieces('client-key-data as a `|` block (base64)', blockB64.join(''));
    const foldedKey = this.key('client-key-data as a `>-` block (key)');
    const foldedB64 = wrap(b64(foldedKey.pem), 60);
    this.pieces('client-key-data as a `>-` block (base64)', foldedB64.join(''));
    const quotedKey = this.key('client-key-data double-quoted (key)');
    this.pieces('client-key-data double-quoted (base64)', b64(quotedKey.pem));
    const serverUser = s('server URL userinfo user');
    const serverPw = s('server URL userinfo password');
    const anchored = s('token behind a YAML anchor');
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: prisma-console',
      '  cluster:',
      `    server: https://${serverUser}:${serverPw}@127.0.0.1:9/api/v1/kubernetes/webhook/${suffix}`,
      `    proxy-url: http://proxyuser:${s('kubeconfig proxy-url password')}@127.0.0.1:9`,
      'contexts:',
      '- name: webhook',
      '  context: {cluster: prisma-console, user: kube-apiserver}',
      'current-context: webhook',
      'users:',
      '- name: kube-apiserver',
      '  user:',
      `    token: ${s('users[].user.token (plain)')}`,
      `    password: "${s('users[].user.password (double-quoted)')}"`,
      `    username: admin`,
      '    client-key-data: |',
      ...blockB64.map((l) => `      ${l}`),
      '- name: flow',
      `  user: {token: '${s('token in a flow mapping')}', password: ${s('password in a flow mapping')}}`,
      '- name: folded',
      '  user:',
      '    client-key-data: >-',
      ...foldedB64.map((l) => `      ${l}`),
      `    token: &tok ${anchored}`,
      '- name: alias',
      '  user:',
      '    token: *tok',
      `    client-key-data: "${b64(quotedKey.pem)}"`,
      '- name: exec',
      '  user:',
      '    exec:',
      '      apiVersion: client.authentication.k8s.io/v1beta1',
      '      command: /usr/local/bin/get-token',
      '      args:',
      '      - --client-secret',
      `      - ${s('exec arg after --client-secret')}`,
      `      - --token=${s('exec arg --token=')}`,
      `      - "--client-secret=${this.secret('exec arg --client-secret= with /', () => `${rand(5)}/${rand(5)}`)}"`,
      '      env:',
      `      - name: AWS_SECRET_ACCESS_KEY`,
      `        value: ${s('exec env secret-named value')}`,
      `      - {name: PLUGIN_SEED, value: "${s('exec env value with a plain name')}"}`,
      '- name: oidc',
      '  user:',
      '    auth-provider:',
      '      name: oidc',
      '      config:',
      `        client-secret: ${s('auth-provider client-secret')}`,
      `        id-token: ${s('auth-provider id-token')}`,
      `        refresh-token: '${s('auth-provider refresh-token')}'`,
      `        access-token: ${s('auth-provider access-token')}`,
      '        idp-issuer-url: https://issuer.example.com',
      '',
    ];
    this.write('etc/kubernetes/audit/audit-webhook.yaml', kubeconfig.join('\n'));

    // --- the policy: secrets in comments ---
    const commentKey = this.key('PEM key in policy comments');
    this.edit('etc/kubernetes/audit/audit-policy.yaml', (t) =>
      [
        `# token: ${s('token in a policy comment')}`,
        `# password: "correct horse ${s('passphrase word in a policy comment')}"`,
        ...commentKey.pem
          .trim()
          .split('\n')
          .map((l) => `# ${l}`),
        t,
      ].join('\n'),
    );

    // --- pod logs (CRI format) ---
    const cri = (msg: string, tag = 'F') => `2026-11-27T08:00:00.000000000Z stderr ${tag} ${msg}`;
    const userToken = this.planted.find((p) => p.form === 'users[].user.token (plain)')!.value;
    const pgp = this.key('PGP private key block', 'PGP PRIVATE KEY BLOCK');
    const logKey = this.key('PEM key in a log');
    const midLineKey = this.key('base64 of a PEM key mid-line (key)');
    const midLine = b64(midLineKey.pem);
    this.pieces('base64 of a PEM key mid-line', midLine);
    const offsetKey = this.key('base64 of text + PEM key, unaligned (key)');
    const offset = b64(`kubeconfig dump:\n${offsetKey.pem}`);
    this.pieces('base64 of text + PEM key, unaligned', offset.slice(24));
    const wrappedKey = this.key('base64 of a PEM key wrapped at 76 (key)');
    const wrapped = wrap(b64(wrappedKey.pem), 76);
    this.pieces('base64 of a PEM key wrapped at 76', wrapped.join(''));
    const webhookUrl = `https://127.0.0.1:9/api/v1/kubernetes/webhook/${suffix}`;
    const cut = 9;
    const basicUser = s('Basic auth user');
    const basicPw = s('Basic auth password');
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(`{"sub":"${rand()}"}`).toString('base64url')}.${s('JWT signature')}`;
    const podLog = [
      cri(`E1127 08:00:00.000000 1 webhook.go:1] Post "${webhookUrl}?timeout=30s": EOF`),
      cri(`GET /cb?code=1&access_token=${s('access_token= in a query')}&state=2`),
      cri(`login password=${s('password= in a log line')} user=admin`),
      cri(`oauth client_secret=${s('client_secret= in a log line')}`),
      cri(`{"msg":"token refreshed","accessToken":"${s('"accessToken": in JSON')}","expires":3600}`),
      cri(`err="decode {\\"refreshToken\\":\\"${s('escaped JSON refreshToken')}\\"}"`),
      cri(`Authorization: Basic ${b64(`${basicUser}:${basicPw}`)}`),
      cri(`Authorization: Bearer ${s('Bearer token')}`),
      cri(`jwt ${jwt}`),
      cri(`proxy https://${s('userinfo user in a log URL')}:${s('userinfo password in a log URL')}@proxy:3128/ failed`),
      cri(`dial ${webhookUrl.slice(0, webhookUrl.length - cut)}`, 'P'),
      cri(`${webhookUrl.slice(webhookUrl.length - cut)}: connection refused`),
      cri(`webhook ${encodeURIComponent(webhookUrl)} and suffix ${encodeURIComponent(suffix)}`),
      cri(`config blob ${b64(webhookUrl)} tail`),
      cri(`suffix alone ${suffix}, token ${userToken}, base64 token ${b64(userToken)}`),
      cri(`env PRISMA_TOKEN=${env.PRISMA_TOKEN}`),
      cri(`key data: prefix=${midLine} end`),
      cri(`dump ${offset}`),
      ...wrapped.map((l, i) => cri(i === 0 ? `client-key-data ${l}` : l)),
      ...pgp.pem
        .trim()
        .split('\n')
        .map((l) => cri(l)),
      ...logKey.pem
        .trim()
        .split('\n')
        .map((l) => cri(l)),
      cri(`exec args: --client-secret ${s('exec --client-secret echoed in a log')}`),
      '',
    ];
    const logDir = 'var/log/pods/kube-system_kube-apiserver-cp1_0a9b8c7d/kube-apiserver';
    this.write(`${logDir}/1.log`, podLog.join('\n'));
    // A kubeconfig echoed into a second attempt's log, block scalar and all.
    const echoed = this.key('client-key-data block echoed in a log (key)');
    const echoedB64 = wrap(b64(echoed.pem), 64);
    this.pieces('client-key-data block echoed in a log (base64)', echoedB64.join(''));
    this.write(
      `${logDir}/2.log`,
      [
        'users:',
        '- name: x',
        '  user:',
        '    client-key-data: |',
        ...echoedB64.map((l) => `      ${l}`),
        `    token: ${s('token in an echoed kubeconfig')}`,
        '',
      ].join('\n'),
    );
    return { suffix, env };
  }
}

/** The spellings of a secret a leak could take: as is, base64, percent-encoded. */
export function spellings(value: string): string[] {
  const out = [value, Buffer.from(value).toString('base64')];
  if (encodeURIComponent(value) !== value) out.push(encodeURIComponent(value));
  return out;
}

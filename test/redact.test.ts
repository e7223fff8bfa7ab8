import { Readable } from 'node:stream';
import { text as readAll } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { MASK, Redactor, type RedactionCounts } from '../src/redact/redactor.js';

const pemKey = (kind: string) =>
  `-----BEGIN ${kind}PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nAmQwggJgAgEAAoGBAL\n-----END ${kind}PRIVATE KEY-----`;
const CERT_B64 = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');

describe('Redactor.text', () => {
  it.each(['', 'RSA ', 'EC ', 'ENCRYPTED ', 'OPENSSH '])('masks a PEM %sPRIVATE KEY', (kind) => {
    const counts: RedactionCounts = {};
    expect(new Redactor().text(`key:\n${pemKey(kind)}\n`, counts)).toBe(
      `key:\n-----BEGIN ${kind}PRIVATE KEY-----${MASK}-----END ${kind}PRIVATE KEY-----\n`,
    );
    expect(counts).toEqual({ 'private-key': 1 });
  });

  it('masks base64 of a PEM private key but keeps base64 of a certificate', () => {
    const keyB64 = Buffer.from(pemKey('EC ')).toString('base64');
    const counts: RedactionCounts = {};
    expect(new Redactor().text(`x ${keyB64} y ${CERT_B64}`, counts)).toBe(`x ${MASK} y ${CERT_B64}`);
    expect(counts).toEqual({ 'private-key-base64': 1 });
  });

  it.each([
    ['https://c:8083/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=', `https://c:8083/api/v1/kubernetes/webhook/${MASK}`],
    ['https://c/api/v1/kubernetes/webhook/abc/def?timeout=30s', `https://c/api/v1/kubernetes/webhook/${MASK}/${MASK}?timeout=30s`],
    ['https://c/api/v1/kubernetes/webhook/${SUFFIX}', 'https://c/api/v1/kubernetes/webhook/${SUFFIX}'],
    ['https://c/api/v1/kubernetes/webhook/', 'https://c/api/v1/kubernetes/webhook/'],
  ])('masks the webhook suffix per segment, keeping what webhook-url judges: %s', (input, expected) => {
    expect(new Redactor().text(input)).toBe(expected);
  });

  it('leaves the suffix alone when the rule is skipped (--include-suffix)', () => {
    const url = 'https://c/api/v1/kubernetes/webhook/Rov4TLMx1UiaJuP99OyulwQVUT0=';
    expect(new Redactor([], true, { skipRules: ['webhook-suffix'] }).text(url)).toBe(url);
  });

  it('keeps file paths after credential-looking flags, masks inline values', () => {
    const r = new Redactor();
    expect(r.text('--kubelet-client-key=/etc/kubernetes/pki/x.key')).toBe('--kubelet-client-key=/etc/kubernetes/pki/x.key');
    expect(r.text('--token=abcdef123')).toBe(`--token=${MASK}`);
  });

  it.each([
    ['# password: "my secret phrase"', '# password: "****"'],
    ["token: 'abc def'", "token: '****'"],
    ['{"token":"abc123"}', '{"token":"****"}'],
    ['password=hunter2 next', 'password=**** next'],
    ['token: "/var/run/token"', 'token: "/var/run/token"'],
  ])('masks a credential field value whole: %s', (input, expected) => {
    expect(new Redactor().text(input)).toBe(expected);
  });

  it('masks literals wherever they appear and counts them without recording them', () => {
    const counts: RedactionCounts = {};
    expect(new Redactor(['s3cretvalue']).text('a s3cretvalue b s3cretvalue', counts)).toBe(`a ${MASK} b ${MASK}`);
    expect(JSON.stringify(counts)).toBe('{"literal":2}');
  });
});

describe('Redactor.value', () => {
  it('masks a PEM key split over the items of a string array (log lines in a fact)', () => {
    const lines = [
      'start',
      '-----BEGIN PRIVATE KEY-----',
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
      '-----END PRIVATE KEY-----',
      'after litsecret',
    ];
    expect(new Redactor(['litsecret']).value({ lines })).toEqual({
      lines: ['start', `-----BEGIN PRIVATE KEY-----${MASK}-----END PRIVATE KEY-----`, MASK, MASK, `after ${MASK}`],
    });
  });
});

describe('Redactor.lines', () => {
  const run = async (input: string[], r = new Redactor(['litsecret']), keep?: (l: string) => boolean) =>
    readAll(Readable.from(input.map((s) => Buffer.from(s))).pipe(r.lines({}, keep)));

  it('masks a PEM key whose lines arrive in separate chunks', async () => {
    const out = await run([
      'ts F -----BEGIN RSA PRIVATE KEY-----\nts F MIIEvQIBAD',
      'ANBgkqhkiG9w0BAQEFAASC\nts F -----END RSA PRIVATE KEY-----\nts F after litsecret\n',
    ]);
    expect(out).toBe(`ts F -----BEGIN RSA PRIVATE KEY-----${MASK}-----END RSA PRIVATE KEY-----\n${MASK}\n${MASK}\nts F after ${MASK}\n`);
  });

  it('keeps only the lines the filter accepts, and a last line without newline', async () => {
    expect(await run(['a\nb\nc'], new Redactor(), (l) => l !== 'b')).toBe('a\nc');
  });

  it('does not split a multi-byte character across chunks', async () => {
    const bytes = Buffer.from('héllo\n');
    expect(await readAll(Readable.from([bytes.subarray(0, 2), bytes.subarray(2)]).pipe(new Redactor().lines()))).toBe('héllo\n');
  });
});

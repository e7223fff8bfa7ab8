// Anything that is not a good bundle is a usage error (exit 2) with a plain message: never a crash
// or a stack trace.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries, tarGz } from '../helpers/archive.js';
import { REPO, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-badbundle-'));
const at = (name: string) => path.join(tmp, name);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const goodFacts = () => JSON.parse(readFileSync(at('facts.json'), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  const good = at('good.tar.gz');
  const r = await runCli(['bundle', '--root', path.join(REPO, 'fixtures/scenarios/kubeadm-broken/root'), '--out', good]);
  expect(r.code, r.stderr).toBe(0);
  const bytes = readFileSync(good);
  writeFileSync(at('truncated.tar.gz'), bytes.subarray(0, Math.floor(bytes.length / 2)));
  const corrupt = Buffer.from(bytes);
  corrupt.fill(0x41, 100, 400);
  writeFileSync(at('corrupt.tar.gz'), corrupt);
  writeFileSync(at('foreign.zip'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]));
  writeFileSync(at('plain.txt'), 'hello\n');
  writeFileSync(at('no-facts.tar.gz'), await tarGz({ 'results.json': '{}' }));
  writeFileSync(at('not-json.tar.gz'), await tarGz({ 'facts.json': '{"schemaVersion": 1,' }));
  // A real facts.json, for schema variations.
  writeFileSync(at('facts.json'), (await entries(good)).get('facts.json')!);
  const facts = goodFacts();
  writeFileSync(at('wrong-version.tar.gz'), await tarGz({ 'facts.json': JSON.stringify({ ...facts, schemaVersion: 99 }) }));
  const badFact = goodFacts();
  (badFact.facts as Record<string, unknown>).apiserver = { ok: true, value: { file: 42 } };
  writeFileSync(at('bad-fact.tar.gz'), await tarGz({ 'facts.json': JSON.stringify(badFact) }));
  const badError = goodFacts();
  (badError.facts as Record<string, unknown>).policy = { ok: false, error: { reason: 'mystery' } };
  writeFileSync(at('bad-error.tar.gz'), await tarGz({ 'facts.json': JSON.stringify(badError) }));
});

describe.concurrent('doctor --from-bundle with bad input', () => {
  it.each([
    ['missing.tar.gz', /no such file/],
    ['truncated.tar.gz', /truncated or corrupt/],
    ['corrupt.tar.gz', /corrupt|not a readable/],
    ['foreign.zip', /not a gzip-compressed bundle/],
    ['plain.txt', /not a gzip-compressed bundle/],
    ['no-facts.tar.gz', /holds no facts.json: it is not a prisma-audit support bundle/],
    ['not-json.tar.gz', /facts.json is not valid JSON/],
    ['wrong-version.tar.gz', /schemaVersion 99/],
    ['bad-fact.tar.gz', /facts.apiserver.value.file must be a JSON string/],
    ['bad-error.tar.gz', /facts.policy.error needs a known reason/],
  ])('%s: exit 2 with a clear message', async (name, message) => {
    const r = await runCli(['doctor', '--from-bundle', at(name), '--json']);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(`--from-bundle ${at(name)}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('refuses --from-bundle together with --root', async () => {
    const r = await runCli(['doctor', '--from-bundle', at('good.tar.gz'), '--root', tmp]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot be combined with --root/);
  });
});

import { describe, expect, it } from 'vitest';
import { secretLiterals } from '../../src/facts/secrets.js';
import type { Facts } from '../../src/model/facts.js';
import type { ApiserverConfig, ParsedFile } from '../../src/model/node.js';

const api = (over: Partial<ApiserverConfig>): Facts['apiserver'] => ({
  ok: true,
  value: { flags: [], env: [], ...over } as ApiserverConfig,
});
const kubeconfig = (value: unknown): Facts['webhookConfig'] => ({ ok: true, value: { value } as ParsedFile });

describe('secretLiterals', () => {
  it('collects secret-named env values and inline flag values, not paths or switches', () => {
    const facts = {
      apiserver: api({
        env: [
          { name: 'DB_PASSWORD', value: 'pw-123456' },
          { name: 'HTTP_PROXY', value: 'http://proxy:3128' },
          { name: 'ENABLE_SECRET_STORE', value: 'true' },
        ],
        flags: [
          { name: 'oidc-client-secret', value: 'oidc-abcdef', line: 1, source: 'command' },
          { name: 'token-auth-file', value: '/etc/kubernetes/tokens.csv', line: 2, source: 'command' },
        ],
      }),
    };
    expect(secretLiterals(facts, {})).toEqual(['pw-123456', 'oidc-abcdef']);
  });

  it('collects kubeconfig credentials of every user and the suffix of every cluster', () => {
    const facts = {
      webhookConfig: kubeconfig({
        clusters: [
          { cluster: { server: 'https://c:8083/api/v1/kubernetes/webhook/SUFFIX1=' } },
          { cluster: { server: 'https://d/api/v1/kubernetes/webhook/${SUFFIX}' } },
        ],
        users: [
          { user: { token: 'tok-1', tokenFile: '/var/tok', 'auth-provider': { config: { 'id-token': 'idt-1' } } } },
          { user: { password: 'pw-2', 'client-key-data': 'a2V5' } },
        ],
      }),
    };
    expect(secretLiterals(facts, { PRISMA_TOKEN: 'prisma-1' })).toEqual(['prisma-1', 'tok-1', 'idt-1', 'pw-2', 'a2V5', 'SUFFIX1=']);
    expect(secretLiterals(facts, {}, { includeSuffix: true })).not.toContain('SUFFIX1=');
  });

  it('is empty when the facts were not gathered', () => {
    expect(secretLiterals({ apiserver: { ok: false, error: { reason: 'permission', message: 'x' } } }, {})).toEqual([]);
  });
});

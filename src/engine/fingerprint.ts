// The audit configuration of a run, as a comparable fingerprint (see Fingerprint).
import { createHash } from 'node:crypto';
import { Redactor } from '../redact/redactor.js';
import type { FactSource } from '../model/facts.js';
import type { Fingerprint } from '../model/report.js';

const FLAGS = /^(audit-|feature-gates$|runtime-config$)/;

export async function fingerprintOf(source: FactSource, now: Date): Promise<Fingerprint> {
  const [api, policy, webhook, identity, kubeApi] = await Promise.all([
    source.fact('apiserver'),
    source.fact('policy'),
    source.fact('webhookConfig'),
    source.fact('nodeIdentity'),
    source.fact('kubeApi'),
  ]);
  const redactor = new Redactor();
  const flags: Record<string, string> = {};
  if (api.ok) for (const f of api.value.flags) if (FLAGS.test(f.name)) flags[f.name] = redactor.text(f.value ?? '');
  const files: Fingerprint['files'] = [];
  for (const [role, fact] of [
    ['policy', policy],
    ['webhook-config', webhook],
  ] as const) {
    if (fact.ok)
      files.push({ role, path: fact.value.path, sha256: createHash('sha256').update(redactor.text(fact.value.text)).digest('hex') });
  }
  return {
    takenAt: now.toISOString(),
    node: {
      hostname: identity.ok ? identity.value.hostname : null,
      machineId: identity.ok ? identity.value.machineId : null,
      manifest: api.ok ? api.value.file : null,
    },
    cluster: kubeApi.ok ? kubeApi.value.server : null,
    flags,
    files,
  };
}

// Reads the policy once per check with the node's Kubernetes version, for both policy checks.
import type { FactReader } from './check.js';
import { readPolicy } from '../parse/policy.js';
import { inForce } from './version-rules.js';

export function loadPolicy(facts: FactReader) {
  const file = facts.get('policy');
  const api = facts.get('apiserver');
  const read = file.error
    ? { policy: null, problems: [] }
    : readPolicy(file.value, api.kubernetesVersion, inForce('audit-policy-v1-only', api.kubernetesVersion));
  return { file, api, ...read };
}

// Reads the policy once per check with the node's Kubernetes version, for both policy checks.
import type { FactReader } from './check.js';
import { readPolicy } from '../parse/policy.js';
import { versionAtLeast } from './common.js';

export function loadPolicy(facts: FactReader) {
  const file = facts.get('policy');
  const api = facts.get('apiserver');
  const read = file.error ? { policy: null, problems: [] } : readPolicy(file.value, api.kubernetesVersion, versionAtLeast(api.kubernetesVersion, 1, 24));
  return { file, api, ...read };
}


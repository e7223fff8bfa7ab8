// The webhook kubeconfig as the webhook checks read it, resolved once per check.
import { FactUnavailable, type FactReader } from './check.js';
import { resolveKubeconfig } from '../parse/kubeconfig.js';

/** The webhook kubeconfig resolved as client-go resolves it; skip when it does not even parse. */
export function loadWebhook(facts: FactReader) {
  const file = facts.get('webhookConfig');
  if (file.error) {
    throw new FactUnavailable('webhookConfig', {
      reason: 'not-applicable',
      message: `${file.path} does not parse (see webhook-config-valid)`,
    });
  }
  return { file, kc: resolveKubeconfig(file.value) };
}

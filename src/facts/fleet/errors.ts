// A refusal that stops the whole fleet run (no pod can be created anywhere), with its remedy.
import { FactFailure } from '../collector.js';

export class FleetError extends Error {}

/** A FactFailure from the API helpers as a fleet-wide refusal (message and hint joined). */
export function asFleetError(err: unknown): unknown {
  if (err instanceof FactFailure) return new FleetError(err.error.hint ? `${err.message}. ${err.error.hint}` : err.message);
  return err;
}

/** The admission refusals that mean the namespace's pod security forbids the fleet pod. */
export function podSecurityRefusal(namespace: string, said: string): string | null {
  if (!/violates PodSecurity|pod security policy|PodSecurityPolicy/i.test(said)) return null;
  return (
    `the fleet pod is refused by pod security in namespace ${namespace} (${said}). It needs hostNetwork, read-only hostPath volumes ` +
    `and root with DAC_READ_SEARCH: label the namespace privileged (kubectl label namespace ${namespace} ` +
    'pod-security.kubernetes.io/enforce=privileged --overwrite), or pass --namespace with a namespace of its own'
  );
}

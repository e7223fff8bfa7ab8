// On a managed control plane there is no apiserver on any node: the node collector's "not found"
// would make every node check `unknown`. Wrapping it turns that into `skip`, with the reason.
import { factFailure, type Collector } from '../collector.js';
import { PROVIDER_NAMES } from '../../kube/managed-text.js';

export function skipOnManagedControlPlane(node: Collector<'apiserver'>): Collector<'apiserver'> {
  return {
    ...node,
    deps: [...node.deps, 'managedControlPlane'],
    async collect(ctx, deps) {
      // Without cluster mode the fact is `not-applicable` at once, and nothing changes.
      const managed = await deps.fact('managedControlPlane');
      const provider = managed.ok ? managed.value.provider : null;
      if (provider) {
        throw factFailure(
          'not-applicable',
          `${PROVIDER_NAMES[provider]} manages kube-apiserver: node-level audit checks do not apply (see managed-control-plane)`,
        );
      }
      return node.collect(ctx, deps);
    },
  };
}

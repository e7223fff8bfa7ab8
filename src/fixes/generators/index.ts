// Every fix generator, by id, in the order they run: the file generators before manifest-patch, so
// a repaired file wins over manifest-patch's plain copy of it.
import { auditPolicy } from './audit-policy.js';
import type { AuditLayout } from './layout.js';
import { manifestPatch } from './manifest-patch.js';
import { manifestsDirCleanup } from './manifests-dir-cleanup.js';
import type { FixId, FixOptions, GatheredFacts, GeneratorResult } from '../types.js';
import { webhookKubeconfig } from './webhook-kubeconfig.js';

export interface Generator {
  id: FixId;
  /** null layout: the apiserver configuration could not be read. `planned`: host paths the
   * generators before this one will write. */
  generate(facts: GatheredFacts, layout: AuditLayout | null, opts: FixOptions, planned: ReadonlySet<string>): GeneratorResult;
}

const noLayout = (fix: FixId, facts: GatheredFacts) => ({
  fix,
  reason: `the apiserver configuration could not be read (${facts.apiserver && !facts.apiserver.ok ? facts.apiserver.error.message : 'not gathered'}), so the file's path is unknown`,
  manualSteps: ['Fix the apiserver manifest first (see apiserver-manifest), or pass --manifest.'],
});

export const GENERATORS: Generator[] = [
  { id: 'audit-policy', generate: (facts, layout) => (layout ? auditPolicy(facts, layout) : noLayout('audit-policy', facts)) },
  {
    id: 'webhook-kubeconfig',
    generate: (facts, layout, opts) => (layout ? webhookKubeconfig(facts, layout, opts) : noLayout('webhook-kubeconfig', facts)),
  },
  { id: 'manifest-patch', generate: (facts, _layout, opts, planned) => manifestPatch(facts, planned, opts.restore) },
  { id: 'manifests-dir-cleanup', generate: (facts, _layout, opts) => manifestsDirCleanup(facts, opts) },
];

// Options of `prisma-audit fix`.
import { FIX_IDS, isFixId, type FixId } from '../fixes/types.js';
import { UsageError, parse, timeoutMs } from './usage.js';
import { didYouMean } from './suggest.js';
import { clusterOptions, type ClusterOptions } from './cluster-options.js';

export interface FixCommandOptions {
  root: string;
  manifest: string | null;
  /** --only: fix ids; null means every fix a failing or warning check names. */
  only: FixId[] | null;
  /** --out: folder for the plan; null means ./prisma-audit-fix-<timestamp>/. */
  out: string | null;
  apply: boolean;
  yes: boolean;
  webhookUrl: string | null;
  caFile: string | null;
  /** --use FILE (repeatable): orphaned audit files (host paths) the missing flags are restored to. */
  use: string[];
  /** --upgrade-to VERSION: plan for that kube-apiserver/kubeadm version (the durable snippet's shape). */
  upgradeTo: string | null;
  /** --replace-webhook: overwrite a webhook kubeconfig that sends events to another receiver. */
  replaceWebhook: boolean;
  json: boolean;
  /** --offline: judge the files only; the webhook endpoint is not contacted for its chain. */
  offline: boolean;
  timeoutMs: number;
  /** --console URL (token from PRISMA_TOKEN or --token-file, --console-ca): the webhook URL the
   * console expects; only the console fields are set. */
  cluster: ClusterOptions;
}

export const FIX_OPTIONS = {
  root: { type: 'string' },
  manifest: { type: 'string' },
  only: { type: 'string' },
  out: { type: 'string' },
  apply: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  'webhook-url': { type: 'string' },
  'ca-file': { type: 'string' },
  use: { type: 'string', multiple: true },
  'upgrade-to': { type: 'string' },
  'replace-webhook': { type: 'boolean' },
  json: { type: 'boolean' },
  offline: { type: 'boolean' },
  timeout: { type: 'string' },
  console: { type: 'string' },
  'token-file': { type: 'string' },
  'console-ca': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseFix(args: string[]): { name: 'fix'; options: FixCommandOptions } | { name: 'help'; topic: string } {
  const { values, positionals } = parse(args, FIX_OPTIONS);
  if (values.help) return { name: 'help', topic: 'fix' };
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const only =
    values.only === undefined
      ? null
      : values.only
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
  const unknown = (only ?? []).filter((id) => !isFixId(id));
  if (unknown.length > 0 || only?.length === 0) {
    const hint = unknown[0] ? didYouMean(unknown[0], FIX_IDS) : '';
    throw new UsageError(
      `--only takes fix ids (${FIX_IDS.join(', ')}), not ${unknown.map((u) => `"${u}"`).join(', ') || 'an empty list'}${hint}`,
    );
  }
  for (const key of ['root', 'out', 'webhook-url', 'ca-file', 'manifest'] as const)
    if (values[key] === '') throw new UsageError(`--${key} needs a value`);
  if (values['upgrade-to'] !== undefined && !/^v?\d+\.\d+(\.\d+)?$/.test(values['upgrade-to']))
    throw new UsageError(`--upgrade-to takes a version like 1.31, not "${values['upgrade-to']}"`);
  if (values.yes && !values.apply) throw new UsageError('--yes only confirms --apply');
  if (values.console !== undefined && values.offline)
    throw new UsageError('--console reads the webhook URL from the console over the network; it cannot be combined with --offline');
  return {
    name: 'fix',
    options: {
      root: values.root ?? '/',
      manifest: values.manifest ?? null,
      only: only as FixId[] | null,
      out: values.out ?? null,
      apply: Boolean(values.apply),
      yes: Boolean(values.yes),
      webhookUrl: values['webhook-url']?.trim() ?? null,
      caFile: values['ca-file'] ?? null,
      use: (values.use ?? []).map((u) => u.trim()).filter(Boolean),
      upgradeTo: values['upgrade-to']?.replace(/^v/, '') ?? null,
      replaceWebhook: Boolean(values['replace-webhook']),
      json: Boolean(values.json),
      offline: Boolean(values.offline),
      timeoutMs: timeoutMs(values.timeout),
      cluster: clusterOptions({ console: values.console, 'token-file': values['token-file'], 'console-ca': values['console-ca'] }),
    },
  };
}

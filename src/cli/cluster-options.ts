// Command-line options of cluster mode (issue 7), and the Prisma console target built from them
// (opt-in, token never a flag). facts/context.ts turns the Kubernetes options into API access.
import { readFile } from 'node:fs/promises';
import type { ConsoleTarget } from '../kube/console-target.js';
import { UsageError } from './usage.js';

export const CLUSTER_ARG_OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  cluster: { type: 'boolean' },
  canary: { type: 'string' },
  sample: { type: 'string' },
  console: { type: 'string' },
  'token-file': { type: 'string' },
  'console-ca': { type: 'string' },
} as const;

export interface ClusterOptions {
  kubeconfig: string | null;
  context: string | null;
  /** --cluster: use the default kubeconfig rules even without KUBECONFIG. */
  cluster: boolean;
  /** --canary [NAMESPACE]: undefined when absent, null without a namespace (twistlock). */
  canary: string | null | undefined;
  /** --sample SECONDS: window over which the audit counters are sampled (delivery capacity). */
  sampleSeconds?: number;
  console: string | null;
  tokenFile: string | null;
  consoleCa: string | null;
}

/** `--canary` takes an optional value, which parseArgs cannot express: a bare --canary (last, or
 * followed by another option) becomes --canary= (empty: the default namespace). */
export function optionalCanaryValue(argv: string[]): string[] {
  return argv.map((arg, i) => (arg === '--canary' && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('-')) ? '--canary=' : arg));
}

interface ClusterValues {
  kubeconfig?: string;
  context?: string;
  cluster?: boolean;
  canary?: string;
  sample?: string;
  console?: string;
  'token-file'?: string;
  'console-ca'?: string;
}

export function clusterOptions(values: ClusterValues): ClusterOptions {
  if (values.kubeconfig === '') throw new UsageError('--kubeconfig needs a file');
  if (values.console !== undefined && !/^https?:\/\/[^/]/.test(values.console))
    throw new UsageError(`--console takes the console URL (https://host:8083 or the SaaS "Path to Console"), not "${values.console}"`);
  const sample = values.sample === undefined ? undefined : Number(values.sample);
  if (sample !== undefined && !(Number.isFinite(sample) && sample >= 2 && sample <= 600))
    throw new UsageError(`--sample takes a window in seconds between 2 and 600, not "${values.sample}"`);
  return {
    ...(sample !== undefined ? { sampleSeconds: sample } : {}),
    kubeconfig: values.kubeconfig ?? null,
    context: values.context ?? null,
    cluster: Boolean(values.cluster),
    canary: values.canary === undefined ? undefined : values.canary || null,
    console: values.console ?? null,
    tokenFile: values['token-file'] ?? null,
    consoleCa: values['console-ca'] ?? null,
  };
}

/** The console target; the token comes from PRISMA_TOKEN or --token-file, never from a flag value. */
export async function consoleTarget(opts: ClusterOptions, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ConsoleTarget | null> {
  if (opts.console === null) return null;
  let token = env.PRISMA_TOKEN?.trim() ?? '';
  if (opts.tokenFile !== null) {
    try {
      token = (await readFile(opts.tokenFile, 'utf8')).trim();
    } catch (err) {
      throw new UsageError(`--token-file ${opts.tokenFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (!token) throw new UsageError('--console needs an API token: set PRISMA_TOKEN or pass --token-file FILE (never on the command line)');
  return { url: opts.console, token, caFile: opts.consoleCa, timeoutMs };
}

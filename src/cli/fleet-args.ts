// Options of `prisma-audit fleet` (also `doctor --all-nodes`).
import { journalSince } from '../logs/since.js';
import { TOOL } from './tool.js';
import { UsageError, parse, timeoutMs } from './usage.js';

/** The tag npm run build:image gives the image (docker.io/library/prisma-audit:<version>); users push it to their registry and pass --image. */
export const DEFAULT_IMAGE = `prisma-audit:${TOOL.version}`;
export const DEFAULT_NAMESPACE = 'prisma-audit';

export type FleetOutput = 'pretty' | 'text' | 'json' | 'junit';

export interface FleetOptions {
  kubeconfig: string | null;
  context: string | null;
  /** --contexts a,b,c: those; ['*'] for --contexts all; null for one cluster. */
  contexts: string[] | null;
  namespace: string;
  image: string;
  parallel: number;
  deadlineMs: number;
  timeoutMs: number;
  keep: boolean;
  output: FleetOutput | null;
  strict: boolean;
  verbose: boolean;
  color: boolean | null;
  /** Handed to the doctor in each pod. */
  doctorArgs: string[];
  printManifests: boolean;
  collect: boolean;
  /** --nodes: print manifests for these nodes without asking the API. */
  nodes: string[] | null;
}

const FLEET_OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  contexts: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  image: { type: 'string' },
  parallel: { type: 'string' },
  deadline: { type: 'string' },
  timeout: { type: 'string' },
  keep: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
  strict: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  only: { type: 'string' },
  skip: { type: 'string' },
  offline: { type: 'boolean' },
  since: { type: 'string' },
  'print-manifests': { type: 'boolean' },
  collect: { type: 'boolean' },
  nodes: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const list = (s: string | undefined) =>
  s
    ? s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : null;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function positive(flag: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${flag} takes a whole number from 1 to ${max}, not "${value}"`);
  return n;
}

export function parseFleet(argv: string[]): { name: 'fleet'; options: FleetOptions } | { name: 'help'; topic: string } {
  const { values, positionals } = parse(argv, FLEET_OPTIONS);
  if (values.help) return { name: 'help', topic: 'fleet' };
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const output = values.json ? 'json' : (values.output ?? null);
  if (output !== null && !['pretty', 'text', 'json', 'junit'].includes(output))
    throw new UsageError(`--output must be pretty, text, json or junit, not "${output}"`);
  const namespace = values.namespace ?? DEFAULT_NAMESPACE;
  if (!DNS_LABEL.test(namespace))
    throw new UsageError(`--namespace takes a namespace name (lowercase letters, digits, "-"), not "${namespace}"`);
  if (values.context !== undefined && values.contexts !== undefined) throw new UsageError('--context and --contexts cannot be combined');
  if (values['print-manifests'] && values.collect)
    throw new UsageError('--print-manifests and --collect are two steps: run one, apply, then the other');
  if (values.since !== undefined && journalSince(values.since) === null)
    throw new UsageError(`--since takes a duration like 24h, 30m, 2d or a date YYYY-MM-DD[ HH:MM], not "${values.since}"`);
  const timeout = timeoutMs(values.timeout);
  const doctorArgs = [
    ...(values.only ? ['--only', values.only] : []),
    ...(values.skip ? ['--skip', values.skip] : []),
    ...(values.offline ? ['--offline'] : []),
    ...(values.since ? ['--since', values.since] : []),
    ...(values.timeout ? ['--timeout', values.timeout] : []),
  ];
  const contexts = values.contexts === undefined ? null : values.contexts.trim() === 'all' ? ['*'] : list(values.contexts);
  if (contexts !== null && contexts.length === 0) throw new UsageError('--contexts takes a comma list of kubeconfig contexts, or "all"');
  return {
    name: 'fleet',
    options: {
      kubeconfig: values.kubeconfig ?? null,
      context: values.context ?? null,
      contexts,
      namespace,
      image: values.image ?? DEFAULT_IMAGE,
      parallel: positive('parallel', values.parallel, 10, 1000),
      deadlineMs: positive('deadline', values.deadline, 120, 3600) * 1000,
      timeoutMs: timeout,
      keep: Boolean(values.keep),
      output: output as FleetOutput | null,
      strict: Boolean(values.strict),
      verbose: Boolean(values.verbose),
      color: values['no-color'] ? false : values.color ? true : null,
      doctorArgs,
      printManifests: Boolean(values['print-manifests']),
      collect: Boolean(values.collect),
      nodes: list(values.nodes),
    },
  };
}

// Command-line parsing (node:util parseArgs: strict, no dependency, fast to load).
import { journalSince } from '../logs/since.js';
import { CLUSTER_ARG_OPTIONS, clusterOptions, optionalCanaryValue, type ClusterOptions } from './cluster-options.js';
import { parseFix, type FixCommandOptions } from './fix-args.js';
import { parseBundleCommand, type BundleOptions } from './bundle-args.js';
import { parseFleet, type FleetOptions } from './fleet-args.js';
import { UsageError, parse, timeoutMs } from './usage.js';
import { didYouMean } from './suggest.js';

export type OutputMode = 'pretty' | 'text' | 'json' | 'json-framed' | 'junit';

export interface DoctorOptions {
  root: string;
  manifest: string | null;
  only: string[] | null;
  skip: string[];
  output: OutputMode | null;
  timeoutMs: number;
  offline: boolean;
  strict: boolean;
  demo: boolean;
  color: boolean | null;
  kubernetesVersion: string | null;
  showSecrets: boolean;
  verbose: boolean;
  since: string | null;
  logFiles: string[];
  /** Cluster mode (Kubernetes API); see cluster-options.ts. */
  cluster: ClusterOptions;
  /** Re-run the checks on a support bundle's recorded facts instead of this node. */
  fromBundle: string | null;
  /** --compare FILE: an earlier `doctor --json` report or support bundle of the same target. */
  compare: string | null;
  /** --upgrade-to VERSION: judge as that kube-apiserver/kubeadm version would. */
  upgradeTo: string | null;
  /** --force: compare reports of different nodes or clusters. */
  force: boolean;
  /** --fleet-pod: this run is the doctor inside a fleet pod (host mounted at --root, no host commands). */
  fleetPod: boolean;
}

export type Command =
  | { name: 'doctor'; options: DoctorOptions }
  | { name: 'fix'; options: FixCommandOptions }
  | { name: 'bundle'; options: BundleOptions }
  | { name: 'fleet'; options: FleetOptions }
  | { name: 'checks'; json: boolean }
  | { name: 'explain'; id: string }
  | { name: 'help'; topic: string | null }
  | { name: 'completion'; shell: Shell }
  | { name: 'version' };

export const COMMANDS = ['doctor', 'fleet', 'fix', 'bundle', 'checks', 'explain', 'completion', 'help'] as const;
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export const DOCTOR_OPTIONS = {
  root: { type: 'string' },
  manifest: { type: 'string' },
  only: { type: 'string' },
  skip: { type: 'string' },
  output: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
  timeout: { type: 'string' },
  offline: { type: 'boolean' },
  strict: { type: 'boolean' },
  demo: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  'kubernetes-version': { type: 'string' },
  'show-secrets': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  since: { type: 'string' },
  'log-file': { type: 'string', multiple: true },
  'from-bundle': { type: 'string' },
  compare: { type: 'string' },
  'upgrade-to': { type: 'string' },
  force: { type: 'boolean' },
  'fleet-pod': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...CLUSTER_ARG_OPTIONS,
} as const;

const list = (s: string | undefined) =>
  s
    ? s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : null;

export function parseCommand(argv: string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') return { name: 'help', topic: rest[0] ?? null };
  if (first === '--version' || first === '-v' || first === '-V' || first === 'version') return { name: 'version' };
  if (first === 'completion') {
    const { values, positionals } = parse(rest, { help: { type: 'boolean', short: 'h' } });
    if (values.help) return { name: 'help', topic: 'completion' };
    const shell = positionals[0];
    if (positionals.length !== 1 || !SHELLS.includes(shell as Shell)) {
      throw new UsageError(
        `completion takes one shell: ${SHELLS.join(', ')}${shell ? `, not "${shell}"${didYouMean(shell, SHELLS)}` : ''}`,
      );
    }
    return { name: 'completion', shell: shell as Shell };
  }
  if (first === 'checks') {
    const { values } = parse(rest, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) return { name: 'help', topic: 'checks' };
    return { name: 'checks', json: Boolean(values.json) };
  }
  if (first === 'explain') {
    const { values, positionals } = parse(rest, { help: { type: 'boolean', short: 'h' } });
    if (values.help) return { name: 'help', topic: 'explain' };
    if (positionals.length !== 1)
      throw new UsageError('explain takes one check id, e.g. prisma-audit explain audit-files-mounted (see prisma-audit checks)');
    return { name: 'explain', id: positionals[0]! };
  }
  if (first === 'fix') return parseFix(rest);
  if (first === 'bundle') return parseBundleCommand(rest);
  if (first === 'fleet') return parseFleet(rest);
  if (first !== 'doctor') {
    const hint = first.startsWith('-') ? ` (options come after the command: prisma-audit doctor ${first})` : didYouMean(first, COMMANDS);
    throw new UsageError(`unknown command "${first}"${hint} (commands: ${COMMANDS.join(', ')})`);
  }
  // doctor --all-nodes is fleet mode: the doctor on every control-plane node, through the API.
  if (rest.includes('--all-nodes')) return parseFleet(rest.filter((a) => a !== '--all-nodes'));
  const { values, positionals } = parse(optionalCanaryValue(rest), DOCTOR_OPTIONS);
  if (values.help) return { name: 'help', topic: 'doctor' };
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.json && values.output !== undefined && values.output !== 'json')
    throw new UsageError(`--json and --output ${values.output} ask for two outputs; give one`);
  const output = values.json ? 'json' : (values.output ?? null);
  const outputs = ['pretty', 'text', 'json', 'json-framed', 'junit'];
  if (output !== null && !outputs.includes(output))
    throw new UsageError(`--output must be pretty, text, json, json-framed or junit, not "${output}"${didYouMean(output, outputs)}`);
  if (values.demo && (values.root || values.manifest))
    throw new UsageError('--demo checks the bundled demo node; it cannot be combined with --root or --manifest');
  if (values.root === '') throw new UsageError('--root needs a directory');
  if (values.since !== undefined && journalSince(values.since) === null)
    throw new UsageError(`--since takes a duration like 24h, 30m, 2d or a date YYYY-MM-DD[ HH:MM], not "${values.since}"`);
  if (values['from-bundle'] !== undefined && (values.demo || values.root || values.manifest))
    throw new UsageError('--from-bundle re-checks recorded facts; it cannot be combined with --root, --manifest or --demo');
  if (values.compare === '') throw new UsageError('--compare needs a file: a report saved with doctor --json, or a support bundle');
  if (values.force && values.compare === undefined) throw new UsageError('--force only applies to --compare');
  const upgradeTo = values['upgrade-to'] ?? null;
  if (upgradeTo !== null && !/^v?\d+\.\d+(\.\d+)?$/.test(upgradeTo))
    throw new UsageError(`--upgrade-to takes a version like 1.31 or v1.31.2, not "${upgradeTo}"`);
  const version = values['kubernetes-version'] ?? null;
  if (version !== null && !/^v?\d+\.\d+(\.\d+)?$/.test(version))
    throw new UsageError(`--kubernetes-version takes a version like 1.28 or v1.28.3, not "${version}"`);
  return {
    name: 'doctor',
    options: {
      root: values.root ?? '/',
      manifest: values.manifest ?? null,
      only: list(values.only),
      skip: list(values.skip) ?? [],
      output: output as OutputMode | null,
      timeoutMs: timeoutMs(values.timeout),
      offline: Boolean(values.offline),
      strict: Boolean(values.strict),
      demo: Boolean(values.demo),
      color: values['no-color'] ? false : values.color ? true : null,
      kubernetesVersion: version ? version.replace(/^v/, '') : null,
      showSecrets: Boolean(values['show-secrets']),
      verbose: Boolean(values.verbose),
      since: values.since ?? null,
      logFiles: values['log-file'] ?? [],
      cluster: clusterOptions(values),
      fromBundle: values['from-bundle'] ?? null,
      compare: values.compare || null,
      upgradeTo: upgradeTo ? upgradeTo.replace(/^v/, '') : null,
      force: Boolean(values.force),
      fleetPod: Boolean(values['fleet-pod']),
    },
  };
}

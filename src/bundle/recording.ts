// facts.json: every gathered fact (redacted) plus what is needed to re-run the checks without the
// node. Validated before use: a bundle is input from elsewhere, and a wrong shape must be a clear
// error, not a check crashing halfway.
import type { Fact, FactErrorReason } from '../model/report.js';
import type { FactKey, Facts } from '../model/facts.js';
import type { RunOptions } from '../checks/run.js';
import { COLLECTORS } from '../facts/index.js';
import { isObj, type Obj } from '../parse/json-value.js';

export const RECORDING_SCHEMA = 1;

export interface Recording {
  schemaVersion: typeof RECORDING_SCHEMA;
  /** ISO 8601; also the checks' notion of "now" when they are re-run. */
  collectedAt: string;
  tool: { name: string; version: string };
  target: RunOptions['target'];
  facts: Partial<Facts>;
}

export class RecordingError extends Error {}

type Kind = 'string' | 'array' | 'object';
const PARSED_FILE: Record<string, Kind> = { path: 'string', containerPath: 'string', text: 'string', lines: 'object' };

/** The fields each fact's checks rely on. A fact without a row (added later) is checked only for
 * its ok/value/error envelope; a check that then trips on its value reports `unknown`, not a crash. */
const FACT_SHAPES: Partial<Record<FactKey, Kind | Record<string, Kind>>> = {
  apiserver: {
    file: 'string',
    text: 'string',
    mode: 'string',
    distribution: 'string',
    flags: 'array',
    mounts: 'array',
    volumes: 'array',
    env: 'array',
    tried: 'array',
    others: 'array',
    notes: 'array',
  },
  manifestsDir: { dir: 'string', entries: 'array' },
  policy: PARSED_FILE,
  webhookConfig: PARSED_FILE,
  auditPaths: 'array',
  volumeHosts: 'array',
};

const REASONS: FactErrorReason[] = [
  'not-applicable',
  'not-found',
  'permission',
  'parse',
  'too-large',
  'timeout',
  'offline',
  'io',
  'unsupported',
  'interrupted',
];

const kindOf = (v: unknown): Kind | 'other' =>
  typeof v === 'string' ? 'string' : Array.isArray(v) ? 'array' : v !== null && typeof v === 'object' ? 'object' : 'other';

function checkFact(key: string, fact: unknown): void {
  const where = `facts.${key}`;
  if (!isObj(fact) || typeof fact.ok !== 'boolean') throw new RecordingError(`${where} is not a fact ({ok, value} or {ok, error})`);
  if (!fact.ok) {
    const e = fact.error;
    if (!isObj(e) || typeof e.message !== 'string' || !REASONS.includes(e.reason as FactErrorReason))
      throw new RecordingError(`${where}.error needs a known reason and a message`);
    return;
  }
  if (!('value' in fact)) throw new RecordingError(`${where} has ok: true but no value`);
  const shape = FACT_SHAPES[key as FactKey];
  if (shape === undefined) return;
  if (typeof shape === 'string') {
    if (kindOf(fact.value) !== shape) throw new RecordingError(`${where}.value must be a JSON ${shape}`);
    return;
  }
  const value = fact.value;
  if (!isObj(value)) throw new RecordingError(`${where}.value must be a JSON object`);
  for (const [field, kind] of Object.entries(shape)) {
    if (kindOf(value[field]) !== kind) throw new RecordingError(`${where}.value.${field} must be a JSON ${kind}`);
  }
}

/** Earlier bundles kept log verdicts (`hits`) in place of the candidate lines. The lines are gone,
 * so no catalogue can judge them again, and replaying the old verdicts would pass an old catalogue's
 * judgment off as today's: such a fact becomes a failure that says so (its check `unknown`), and the
 * rest of the bundle is still judged. */
function keptVerdictsOnly(key: FactKey, fact: Obj): boolean {
  if (fact.ok !== true) return false;
  const { value } = fact;
  if (key === 'nodeLogs') return isObj(value) && 'hits' in value;
  const reads = (pod: unknown) => (isObj(pod) && Array.isArray(pod.reads) ? pod.reads : []);
  return key === 'apiserverPodLogs' && Array.isArray(value) && value.some((pod) => reads(pod).some((r) => isObj(r) && 'hits' in r));
}

const verdictsRefused = (tool: string): Fact<never> => ({
  ok: false,
  error: {
    reason: 'unsupported',
    message: `this bundle was written by ${tool}, which kept log verdicts instead of the log lines: they cannot be judged again with today's signatures`,
    hint: 'Write a new bundle on the node (prisma-audit bundle) to have its logs judged.',
  },
});

/** Validates parsed facts.json; facts this version does not know are dropped (a newer tool's). */
export function toRecording(json: unknown): Recording {
  if (!isObj(json)) throw new RecordingError('facts.json is not an object');
  if (json.schemaVersion !== RECORDING_SCHEMA)
    throw new RecordingError(
      `facts.json has schemaVersion ${JSON.stringify(json.schemaVersion)}; this prisma-audit reads ${RECORDING_SCHEMA}`,
    );
  if (typeof json.collectedAt !== 'string' || Number.isNaN(Date.parse(json.collectedAt)))
    throw new RecordingError('facts.json has no valid collectedAt time');
  const { tool, target, facts } = json;
  if (!isObj(tool) || typeof tool.name !== 'string' || typeof tool.version !== 'string')
    throw new RecordingError('facts.json has no tool name and version');
  if (!isObj(target) || typeof target.root !== 'string' || typeof target.demo !== 'boolean' || typeof target.offline !== 'boolean')
    throw new RecordingError('facts.json has no valid target (root, demo, offline)');
  if (!isObj(facts)) throw new RecordingError('facts.json has no facts object');
  const known: Partial<Facts> = {};
  for (const key of Object.keys(COLLECTORS) as FactKey[]) {
    if (!(key in facts)) continue;
    const fact = facts[key];
    checkFact(key, fact);
    known[key] = (keptVerdictsOnly(key, fact as Obj) ? verdictsRefused(`${tool.name} ${tool.version}`) : fact) as never;
  }
  return {
    schemaVersion: RECORDING_SCHEMA,
    collectedAt: json.collectedAt,
    tool: { name: tool.name, version: tool.version },
    target: { root: target.root, demo: target.demo, offline: target.offline },
    facts: known,
  };
}

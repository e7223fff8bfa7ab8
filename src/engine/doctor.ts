// The doctor's run: the selected checks on a fact source (the node, or a bundle's recording),
// redacted before anything leaves, streamed as events. cli/doctor.ts picks the source and the
// renderer; the UI and the plain renderers are fed what this streams and returns.
import type { Check } from '../checks/check.js';
import { runChecks, type RunOptions } from '../checks/run.js';
import { gatherNode, type GatherRequest } from '../facts/context.js';
import { redactorFor } from '../facts/secrets.js';
import type { FactSource } from '../model/facts.js';
import type { EngineEvent, Report } from '../model/report.js';
import { fingerprintOf } from './fingerprint.js';

export interface DoctorRun {
  source: FactSource;
  runOpts: RunOptions;
  /** The live node's root; null for a recorded run. */
  root: string | null;
  /** Credentials the user gave (console token), masked even with --show-secrets. */
  credentials: string[];
}

export interface LiveRequest extends GatherRequest {
  tool: RunOptions['tool'];
  /** How the report names the root (the bundled demo node has a friendlier name than its path). */
  shownRoot: string;
  demo: boolean;
}

/** A run on the node the request describes. */
export function liveRun(req: LiveRequest): DoctorRun {
  const source = gatherNode(req);
  const runOpts: RunOptions = {
    offline: req.offline,
    now: req.now,
    tool: req.tool,
    target: { root: req.shownRoot, demo: req.demo, offline: req.offline },
  };
  return { source, runOpts, root: req.root, credentials: req.console ? [req.console.token] : [] };
}

/** Runs the checks; every event and the report are redacted (unless `showSecrets`) before they are
 * handed on. The facts that hold secrets are gathered first, so even progress is masked. */
export async function runDoctor(
  checks: Check[],
  run: DoctorRun,
  env: NodeJS.ProcessEnv,
  showSecrets: boolean,
  onEvent: (event: EngineEvent) => void = () => {},
  signal?: AbortSignal,
): Promise<Report> {
  const redactor = await redactorFor(run.source, env, !showSecrets, run.credentials);
  const report = await runChecks(checks, run.source, run.runOpts, (e) => onEvent(redactor.value(e)), signal);
  return redactor.value({ ...report, fingerprint: await fingerprintOf(run.source, run.runOpts.now) });
}

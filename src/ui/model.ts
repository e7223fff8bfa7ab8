// What the UI knows about a run, built only from engine events (pure; the UI runs nothing).
import type { CheckResult, EngineEvent, Report } from '../model/report.js';
import type { Comparing } from '../report/compare.js';

export interface RunModel {
  tool: { name: string; version: string };
  target: { root: string; demo: boolean };
  /** The selected checks in catalogue order, with the facts each needs. */
  checks: { id: string; title: string; needs: string[] }[];
  results: Record<string, CheckResult>;
  started: Set<string>;
  /** Facts being gathered now (the header says which). */
  gathering: string[];
  /** False until the engine reports its first fact: until then `gathering` is what the checks need. */
  gatherSeen: boolean;
  /** Date.now() when the run started (the status line's clock). */
  startedAt: number;
  report: Report | null;
  /** `doctor --compare`: the earlier report; rows whose status changed since carry a marker. */
  since: Comparing | null;
}

/** Before the first event: every needed fact is about to be gathered. */
export function initialModel(
  tool: RunModel['tool'],
  target: RunModel['target'],
  checks: RunModel['checks'],
  since: Comparing | null = null,
): RunModel {
  return {
    tool,
    target,
    checks,
    results: {},
    started: new Set(),
    gathering: [...new Set(checks.flatMap((c) => c.needs))],
    gatherSeen: false,
    startedAt: Date.now(),
    report: null,
    since,
  };
}

export function applyEvent(model: RunModel, event: EngineEvent): RunModel {
  switch (event.type) {
    case 'check-start':
      return { ...model, started: new Set(model.started).add(event.id) };
    case 'check-done':
      return { ...model, results: { ...model.results, [event.result.id]: event.result } };
    case 'gathering':
      if (!model.gatherSeen) return { ...model, gatherSeen: true, gathering: [event.key] };
      return model.gathering.includes(event.key) ? model : { ...model, gathering: [...model.gathering, event.key] };
    case 'gathered':
      return { ...model, gathering: model.gathering.filter((k) => k !== event.key) };
    case 'done':
      return { ...model, report: event.report, gathering: [] };
  }
}

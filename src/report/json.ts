import type { Report } from '../model/report.js';

/** The JSON document (schemaVersion 1): exactly one, on stdout. `exitCode` is the process's exit
 * code (README: exit codes), so a CI job reading the file knows what the run concluded. */
export function renderJson(report: Report, exitCode?: number): string {
  return JSON.stringify(exitCode === undefined ? report : { ...report, exitCode }, null, 2) + '\n';
}

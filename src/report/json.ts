import type { Report } from '../model/report.js';

/** The JSON document (schemaVersion 1): exactly one, on stdout. */
export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}

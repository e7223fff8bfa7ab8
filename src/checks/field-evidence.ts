// Evidence that points at a field of a parsed YAML file (audit policy, webhook kubeconfig) by line.
import type { Evidence } from '../model/report.js';
import type { ParsedFile } from '../model/node.js';

/** Evidence pointing at a dotted field of a parsed file (nearest recorded ancestor's line). */
export function fieldEvidence(file: ParsedFile, field: string, message: string): Evidence {
  let key = field;
  while (key && file.lines[key] === undefined) key = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : '';
  const line = key ? file.lines[key] : undefined;
  return { message, file: file.path, ...(line ? { line } : {}) };
}

// Parses a YAML file once, the way the Go side reads it (YAML 1.1 scalars: `yes`/`on` are
// booleans; a repeated key keeps the last value), and records the line of every node for evidence.
import { LineCounter, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';
import type { YamlProblem } from '../model/node.js';
import { yamlLimitProblem } from './yaml-limits.js';

export interface ParsedYaml {
  value: unknown;
  error: YamlProblem | null;
  documents: number;
  lines: Record<string, number>;
}

const MAX_DEPTH = 64;
const MAX_LINE_ENTRIES = 20_000;

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // Size is capped when the file is read; depth and node count before the parser sees it.
  const limit = yamlLimitProblem(text);
  if (limit) return { value: null, error: limit, documents: 0, lines: {} };
  try {
    const docs = parseAllDocuments(text, { lineCounter, version: '1.1', uniqueKeys: false, prettyErrors: false });
    const list = Array.isArray(docs) ? docs : [];
    const first = list.find((d) => d.contents !== null) ?? list[0];
    if (!first) return { value: null, error: null, documents: 0, lines: {} };
    const err = first.errors[0];
    if (err) {
      const pos = lineCounter.linePos(err.pos[0]);
      return { value: null, error: { message: firstLine(err.message), line: pos.line, col: pos.col }, documents: list.length, lines: {} };
    }
    const value = first.toJS({ maxAliasCount: 100 });
    const lines: Record<string, number> = {};
    if (first.contents) recordLines(first.contents as Node, '', lines, lineCounter, 0);
    return { value: value ?? null, error: null, documents: list.length, lines };
  } catch (err) {
    // Deep nesting or alias bombs end up here; report them as the parse error they are.
    const message =
      err instanceof RangeError ? 'the document is nested too deeply to parse' : err instanceof Error ? err.message : String(err);
    return { value: null, error: { message: firstLine(message), line: null, col: null }, documents: 0, lines: {} };
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function recordLines(node: Node, at: string, lines: Record<string, number>, lc: LineCounter, depth: number): void {
  if (depth > MAX_DEPTH || Object.keys(lines).length > MAX_LINE_ENTRIES) return;
  if (node.range && at !== '') lines[at] = lc.linePos(node.range[0]).line;
  const join = (key: string) => (at === '' ? key : `${at}.${key}`);
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : null;
      if (key === null) continue;
      const keyNode = pair.key as Node;
      if (keyNode.range) lines[join(key)] = lc.linePos(keyNode.range[0]).line;
      if (pair.value && (isMap(pair.value) || isSeq(pair.value))) recordLines(pair.value as Node, join(key), lines, lc, depth + 1);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      if (item && typeof item === 'object' && 'range' in (item as object)) {
        const child = item as Node;
        if (child.range) lines[join(String(i))] = lc.linePos(child.range[0]).line;
        if (isMap(child) || isSeq(child)) recordLines(child, join(String(i)), lines, lc, depth + 1);
      }
    });
  }
}

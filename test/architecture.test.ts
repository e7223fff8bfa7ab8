// Holds the layering of src/ (README "How it works", layers.json): arrows run one way, no folder or
// file imports itself back through others, and io/ is reached only by the code that gathers, fixes or
// bundles. It reads the imports the way tsc does (static, type-only and dynamic import() alike), so it
// also sees what lint's per-file view could miss: cycles between folders.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import layers from '../layers.json' with { type: 'json' };

const SRC = path.resolve(import.meta.dirname, '../src');

/** What each folder of src/ may import besides itself (src/cli.ts counts as cli): the same table
 * ESLint's no-restricted-imports reads. */
const ALLOWED: Record<string, string[]> = Object.fromEntries(Object.entries(layers).filter(([k]) => !k.startsWith('$'))) as Record<
  string,
  string[]
>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** src-relative file -> the src files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles
      .map((f) => f.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => {
        const base = path.resolve(path.dirname(file), spec).replace(/\.js$/, '');
        const hit = [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((c) => existsSync(c));
        if (!hit) throw new Error(`${path.relative(SRC, file)} imports ${spec}, which is no file of src/`);
        return path.relative(SRC, hit);
      });
    graph.set(path.relative(SRC, file), [...new Set(targets)]);
  }
  return graph;
}

const folderOf = (file: string) => (file.includes(path.sep) ? file.split(path.sep)[0]! : file.replace(/\.tsx?$/, ''));

/** Strongly connected groups of more than one node (Tarjan), each as a list. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const graph = importGraph();

describe('the import layering of src/', () => {
  it('has no file that imports itself back through others', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('has no folder that imports itself back through others', () => {
    const folders = new Map<string, string[]>();
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      const to = targets.map(folderOf).filter((f) => f !== from);
      folders.set(from, [...new Set([...(folders.get(from) ?? []), ...to])]);
    }
    expect(cycles(folders)).toEqual([]);
  });

  it('has only the arrows the layering allows', () => {
    const unknown = [...new Set([...graph.keys()].map(folderOf))].filter((f) => !(f in ALLOWED));
    expect(unknown, 'a new folder needs its row in ALLOWED (and in the README)').toEqual([]);
    const forbidden = [...graph].flatMap(([file, targets]) =>
      targets
        .filter((t) => folderOf(t) !== folderOf(file) && !ALLOWED[folderOf(file)]!.includes(folderOf(t)))
        .map((t) => `${file} -> ${t}`),
    );
    expect(forbidden).toEqual([]);
  });

  it('reads the imports it judges', () => {
    // A walker that found nothing would pass every rule above.
    expect(graph.get(path.join('engine', 'doctor.ts'))).toContain(path.join('checks', 'run.ts'));
    expect(graph.get('cli.ts')!.length).toBeGreaterThan(3);
  });
});

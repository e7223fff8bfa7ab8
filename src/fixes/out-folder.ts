// The --out folder: node/ mirrors host paths, diffs/ holds a unified diff per file, durable snippets
// and README.md sit at the top. Written fresh; an existing non-empty folder is refused.
import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import { unifiedDiff } from './diff.js';
import type { FixPlan } from './plan.js';
import { renderReadme } from './readme.js';
import { restartCommand } from './restart.js';
import type { Artifact, GatheredFacts, WriteArtifact } from './types.js';
import type { CurrentFile } from './apply.js';

export interface OutInput {
  stamp: string;
  root: string;
  facts: GatheredFacts;
  plan: FixPlan;
  pending: Artifact[];
  read: Map<string, CurrentFile>;
  backupDir: string;
  /** --apply already wrote the node files: the folder is a record, not a to-do list. */
  applied: boolean;
}

async function put(file: string, contents: string, mode = 0o600): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await fs.writeFile(file, contents, { mode });
}

/** Why `out` cannot take a plan, or null: it must be a new or empty folder in a writable one.
 * Asked before anything is planned or applied, so --apply never changes the node and then fails
 * to write its record. */
export async function outFolderProblem(out: string): Promise<string | null> {
  const st = await fs.stat(out).catch(() => null);
  if (st && !st.isDirectory()) return `--out ${out} is not a directory`;
  if (st && (await fs.readdir(out)).length > 0) return `--out ${out} exists and is not empty; choose a new folder`;
  // The folders are created as needed: the nearest one that exists must take them.
  let parent = out;
  while (!(await fs.stat(parent).catch(() => null)) && path.dirname(parent) !== parent) parent = path.dirname(parent);
  const writable = await fs.access(parent, fsConstants.W_OK).then(
    () => true,
    () => false,
  );
  return writable ? null : `--out ${out}: cannot write in ${parent}`;
}

export async function writeOutFolder(out: string, input: OutInput): Promise<void> {
  const existing = await fs.readdir(out).catch(() => null);
  if (existing && existing.length > 0) throw new Error(`--out ${out} exists and is not empty; choose a new folder`);
  const api = input.facts.apiserver?.ok ? input.facts.apiserver.value : null;
  for (const a of input.pending) {
    if (a.kind !== 'write') continue;
    const current = input.read.get(a.hostPath)?.bytes?.toString('utf8') ?? null;
    await put(path.join(out, 'node', a.hostPath), a.contents);
    await put(path.join(out, 'diffs', `${a.hostPath}.diff`), unifiedDiff(a.hostPath, current, a.contents));
  }
  const durable = input.plan.artifacts.filter((a): a is WriteArtifact => a.kind === 'write' && a.durable !== undefined);
  for (const d of durable) await put(path.join(out, d.durable!.fileName), d.contents);
  const steps = input.pending.map((artifact) => ({
    artifact,
    exists: artifact.kind === 'write' && input.read.get(artifact.hostPath)?.bytes != null,
  }));
  const readme = renderReadme({
    stamp: input.stamp,
    root: input.root,
    manifest: api?.file ?? null,
    distribution: api?.distribution ?? null,
    outcomes: input.plan.outcomes,
    steps,
    durable,
    backupDir: input.backupDir,
    applied: input.applied,
    restart: restartCommand(input.pending, api),
  });
  await put(path.join(out, 'README.md'), readme, 0o644);
}

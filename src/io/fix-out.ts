// The --out folder: node/ mirrors host paths, diffs/ holds a unified diff per file, durable snippets
// and README.md sit at the top. Written fresh; an existing non-empty folder is refused.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { unifiedDiff } from '../fixes/diff.js';
import type { FixPlan } from '../fixes/plan.js';
import { renderReadme } from '../fixes/readme.js';
import { restartCommand } from '../fixes/restart.js';
import type { Artifact, GatheredFacts, WriteArtifact } from '../fixes/types.js';
import type { CurrentFile } from './fix-writer.js';

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
  const steps = input.pending.map((artifact) => ({ artifact, exists: artifact.kind === 'write' && input.read.get(artifact.hostPath)?.bytes != null }));
  const readme = renderReadme({ stamp: input.stamp, root: input.root, manifest: api?.file ?? null, distribution: api?.distribution ?? null, outcomes: input.plan.outcomes, steps, durable, backupDir: input.backupDir, applied: input.applied, restart: restartCommand(input.pending, api) });
  await put(path.join(out, 'README.md'), readme, 0o644);
}

// The doctor UI's "fix" key: plan like `prisma-audit fix` (never --apply), write the plan folder,
// and hand the UI the text and the diffs to show.
import type { ConsoleTarget } from '../kube/console-target.js';
import { unifiedDiff } from '../fixes/diff.js';
import { isFixId } from '../fixes/types.js';
import type { FixPreview } from '../ui/App.js';
import { planOnNode, writePlanFolder } from '../fixes/pipeline.js';
import { renderFixText } from '../report/fix.js';
import { TOOL } from './tool.js';

export interface PreviewRequest {
  root: string;
  manifest: string | null;
  fix: string | null;
  now: Date;
  /** The doctor's own --offline, --timeout and --console. */
  offline: boolean;
  timeoutMs: number;
  console: ConsoleTarget | null;
}

export async function previewFix(req: PreviewRequest, cwd: string): Promise<FixPreview> {
  const only = req.fix && isFixId(req.fix) ? [req.fix] : null;
  const planned = await planOnNode({
    root: req.root,
    manifest: req.manifest,
    only,
    webhookUrl: null,
    caPem: null,
    now: req.now,
    offline: req.offline,
    timeoutMs: req.timeoutMs,
    console: req.console,
    tool: TOOL,
  });
  const summary = { ...planned, apply: false };
  if (planned.pending.length === 0 && planned.durable.length === 0)
    return { lines: renderFixText(summary, { nothing: true }).trimEnd().split('\n'), diff: [] };
  const out = await writePlanFolder(planned, cwd, null, false);
  return { lines: renderFixText(summary, { out }).trimEnd().split('\n'), diff: pendingDiffs(planned) };
}

/** A unified diff (or a move line) for every change the plan would make on the node. */
export function pendingDiffs(planned: Pick<Awaited<ReturnType<typeof planOnNode>>, 'pending' | 'read'>): string[] {
  return planned.pending.flatMap((a) =>
    a.kind === 'move'
      ? [`move ${a.from} -> ${a.hostPath}`]
      : unifiedDiff(a.hostPath, planned.read.get(a.hostPath)?.bytes?.toString('utf8') ?? null, a.contents)
          .trimEnd()
          .split('\n'),
  );
}

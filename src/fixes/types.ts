// The fix contract: pure generators turn facts (+ options) into files to write, or refuse with
// manual steps. Nothing here touches the node; apply.ts does, and out-folder.ts writes the plan.
import type { NeededFile } from '../checks/check.js';
import type { Facts } from '../model/facts.js';
import type { LiveChain } from './generators/live-anchor.js';
import type { Restore } from './generators/layout.js';

export const FIX_IDS = ['manifest-patch', 'webhook-kubeconfig', 'audit-policy', 'manifests-dir-cleanup'] as const;
export type FixId = (typeof FIX_IDS)[number];

export function isFixId(id: string): id is FixId {
  return (FIX_IDS as readonly string[]).includes(id);
}

/** The fix that writes each audit file a check may need (Check.needsFile). */
export const FILE_WRITER: Record<NeededFile, FixId> = { policy: 'audit-policy', 'webhook-config': 'webhook-kubeconfig' };

/** A file to write at a host path (without --root). */
export interface WriteArtifact {
  kind: 'write';
  fix: FixId;
  hostPath: string;
  contents: string;
  description: string;
  /** Mode for a new file; an existing file keeps its own mode and owner. */
  mode?: number;
  /** A snippet for the durable configuration (kubeadm-config, RKE2 config.yaml): it goes to --out
   * as `fileName` for a human to merge into `mergeInto`, and is never written by --apply. */
  durable?: { fileName: string; mergeInto: string };
}

/** A file moved away (out of the static-pod directory); `hostPath` is the destination. */
export interface MoveArtifact {
  kind: 'move';
  fix: FixId;
  from: string;
  hostPath: string;
  description: string;
}

export type Artifact = WriteArtifact | MoveArtifact;

export interface Refusal {
  fix: FixId;
  reason: string;
  manualSteps: string[];
}

export type GeneratorResult = Artifact[] | Refusal;

export function isRefusal(r: GeneratorResult): r is Refusal {
  return !Array.isArray(r);
}

export interface FixOptions {
  /** --webhook-url: the full Prisma webhook URL. */
  webhookUrl: string | null;
  /** The webhook URL the console named by --console expects (<console>/api/v1/kubernetes/webhook/<suffix>). */
  consoleWebhookUrl: string | null;
  /** Why --console could not give the URL (unreadable, auditing not enabled there). */
  consoleProblem: string | null;
  /** --ca-file: PEM of the console's trust anchor. */
  caPem: string | null;
  /** The chain the webhook endpoint presents now (null offline, or when no handshake succeeded):
   * judges the CA data and supplies the anchor when the current one does not verify it. */
  liveChain: LiveChain | null;
  /** Orphaned audit files the missing flags are pointed back at (chosen by fix, or --use). */
  restore: Restore;
  /** --replace-webhook: overwrite a webhook kubeconfig that sends events to another receiver. */
  replaceWebhook: boolean;
  now: Date;
}

/** Facts as the collectors returned them (each may be an error). */
export type GatheredFacts = Partial<Facts>;

/** "20261127-085445": names the backup folder and the default --out folder. */
export function timestamp(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
}

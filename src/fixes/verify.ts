// Every artifact is judged by the doctor's own checks before it is offered: the plan is applied to
// a sparse copy of the node and the static checks run on it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CHECKS } from '../checks/index.js';
import { runChecks, type RunOptions } from '../checks/run.js';
import type { FactSource } from '../model/facts.js';
import { gatherNode } from '../facts/context.js';
import type { CheckResult, Report } from '../model/report.js';
import { LOG_FLAG, POLICY_FLAG, WEBHOOK_FLAG, locate } from '../kube/audit-paths.js';
import { replayed } from '../facts/collector.js';
import { COLLECTORS } from '../facts/index.js';
import type { ApiserverConfig } from '../model/node.js';
import { buildSparseRoot } from './sparse-root.js';
import { lastFlag } from '../parse/flags.js';
import { readApiserverContainer } from '../parse/pod.js';
import { parseYaml } from '../parse/yaml-file.js';
import type { FixPlan } from './plan.js';
import { FILE_WRITER, type FixId, type GatheredFacts } from './types.js';

export interface VerifyContext {
  root: string;
  facts: GatheredFacts;
  kubernetesVersion: string | null;
  runOpts: RunOptions;
  timeoutMs: number;
  /** The endpoint answered TLS before: a new webhook kubeconfig is tried against it for real. */
  live: boolean;
}

/** Host paths the patched apiserver reads: its hostPath volumes and the audit files behind its flags. */
function referencedPaths(api: ApiserverConfig, manifest: string): string[] {
  const parsed = parseYaml(manifest);
  let fixed = api;
  if (api.mode === 'static-pod' && !parsed.error) {
    try {
      const c = readApiserverContainer(parsed.value, parsed.lines);
      fixed = { ...api, flags: c.flags, mounts: c.mounts, volumes: c.volumes };
    } catch {
      // An unreadable patched manifest is reported by apiserver-manifest on the sparse root.
    }
  }
  const volumes = fixed.volumes.flatMap((v) => (v.hostPath ? [v.hostPath] : []));
  const files = [POLICY_FLAG, WEBHOOK_FLAG, LOG_FLAG].flatMap((name) => {
    const value = lastFlag(fixed.flags, name)?.value;
    const host = value && value !== '-' ? locate(fixed, value).hostPath : null;
    return host ? [host, path.posix.dirname(host)] : [];
  });
  return [...volumes, ...files];
}

export async function checkPlan(plan: FixPlan, ctx: VerifyContext): Promise<Report | null> {
  const api = ctx.facts.apiserver?.ok ? ctx.facts.apiserver.value : null;
  if (!api) return null;
  const writes = new Map<string, string>();
  for (const a of plan.artifacts) if (a.kind === 'write' && !a.durable) writes.set(a.hostPath, a.contents);
  const moved = new Set(plan.artifacts.flatMap((a) => (a.kind === 'move' ? [a.from] : [])));
  const dir = await buildSparseRoot({
    realRoot: ctx.root,
    api,
    manifestsDir: ctx.facts.manifestsDir?.ok ? ctx.facts.manifestsDir.value : null,
    auditPaths: ctx.facts.auditPaths?.ok ? ctx.facts.auditPaths.value : [],
    writes,
    moved,
    referenced: referencedPaths(api, writes.get(api.file) ?? api.text),
  });
  try {
    const source = gatherNode({
      root: dir,
      manifest: api.file,
      kubernetesVersion: ctx.kubernetesVersion,
      timeoutMs: ctx.timeoutMs,
      offline: true,
      now: ctx.runOpts.now,
    });
    // Logs on a copy say nothing about the fixed files; they are judged after the restart.
    const files = await runChecks(
      CHECKS.filter((c) => !c.network && !c.fromLogs),
      source,
      { ...ctx.runOpts, offline: true },
    );
    const webhookWritten = plan.artifacts.some((a) => a.fix === 'webhook-kubeconfig' && a.kind === 'write' && !a.durable);
    if (!ctx.live || !webhookWritten) return files;
    return { ...files, checks: [...files.checks, ...(await tryEndpoint(ctx, source)).checks] };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The endpoint checks with the fixed apiserver and webhook kubeconfig, read from the copy, and
 * everything else (CA file, system roots) from the real node, as kube-apiserver will see them. */
async function tryEndpoint(ctx: VerifyContext, copy: FactSource): Promise<Report> {
  const collectors = {
    ...COLLECTORS,
    apiserver: replayed('apiserver', await copy.fact('apiserver')),
    webhookConfig: replayed('webhookConfig', await copy.fact('webhookConfig')),
  };
  const source = gatherNode(
    {
      root: ctx.root,
      manifest: null,
      kubernetesVersion: ctx.kubernetesVersion,
      timeoutMs: ctx.timeoutMs,
      offline: false,
      now: ctx.runOpts.now,
    },
    collectors,
  );
  return runChecks(
    CHECKS.filter((c) => c.network && c.needs.includes('webhookProbe')),
    source,
    { ...ctx.runOpts, offline: false },
  );
}

const NETWORK = new Set<string>(CHECKS.filter((c) => c.network).map((c) => c.id));

/** A flag can only be turned on, and a file found, once the file exists: the fix that writes the
 * file a failing check needs (its flag's file, or a plan file it found missing), if any. When that
 * fix could not run, the check stays failing and that is not manifest-patch's fault. */
function fileFixNeeded(c: CheckResult, plan: FixPlan): FixId | undefined {
  const file = CHECKS.find((x) => x.id === c.id)?.needsFile;
  return file ? FILE_WRITER[file] : plan.files.find((f) => c.hostPaths?.includes(f.hostPath))?.fix;
}

/** Fixes to withhold, with the reason: a check it should turn green still fails, or a check that did
 * not fail before fails after the plan (then nothing is offered: the cause cannot be told apart).
 * Excused failures are recorded on the outcome as deferred; endpoint failures first seen with the
 * new webhook kubeconfig, which no file fix changes, as remaining. */
export function judgePlan(plan: FixPlan, before: Report, after: Report): Map<FixId, string> {
  const status = new Map(after.checks.map((c) => [c.id, c]));
  const withheld = new Map<FixId, string>();
  const offered = plan.outcomes.filter((o) => o.artifacts.some((a) => a.kind === 'move' || !a.durable));
  const writes = (id: FixId) => plan.outcomes.some((o) => o.id === id && o.artifacts.length > 0);
  for (const o of offered) {
    // A warning may outlive the fix for reasons it cannot change (blocking mode by choice, no CA given).
    for (const c of o.checks.map((x) => status.get(x.id)).filter((x) => x?.status === 'warn'))
      o.deferred.push(`${c!.id} stays warn: ${c!.summary}`);
    for (const c of o.checks.map((x) => status.get(x.id)).filter((x) => x?.status === 'fail')) {
      const needs = fileFixNeeded(c!, plan);
      if (needs && !writes(needs)) o.deferred.push(`${c!.id} stays failing until ${needs} can write its file`);
      // Still failing, but no longer for anything this fix writes (the right CA, and now the
      // certificate's name is wrong): the fix did its part, the rest is the user's.
      else if (c!.remediation?.fix !== o.id) o.remaining.push(`${c!.id} still fails for a reason this fix cannot change: ${c!.summary}`);
      else if (!withheld.has(o.id)) withheld.set(o.id, `${c!.id} would still fail after it: ${c!.summary}`);
    }
  }
  // An endpoint check that could not look before (no chain, another URL) proves nothing by passing
  // then: its failure with the new file is news about the endpoint, not a regression of the plan.
  const wasGood = (c: CheckResult) => (NETWORK.has(c.id) ? c.status === 'pass' || c.status === 'warn' : c.status !== 'fail');
  const regressed = before.checks.find((c) => wasGood(c) && status.get(c.id)?.status === 'fail');
  if (regressed) {
    for (const o of offered)
      if (!withheld.has(o.id)) withheld.set(o.id, `the plan would make ${regressed.id} fail: ${status.get(regressed.id)!.summary}`);
  }
  const webhook = offered.find((o) => o.id === 'webhook-kubeconfig' && !withheld.has(o.id));
  for (const c of before.checks.filter(
    (x) => NETWORK.has(x.id) && !wasGood(x) && x.status !== 'fail' && status.get(x.id)?.status === 'fail',
  )) {
    webhook?.remaining.push(`${c.id} fails against the endpoint with the new file: ${status.get(c.id)!.summary}`);
  }
  return withheld;
}

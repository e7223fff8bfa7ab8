// The files the audit flags name, and where the apiserver finds each: container path -> host path
// through the static pod's mounts. Pure: collectors, cluster pods, checks and fixes share it.
import type { ApiserverConfig, AuditPath } from '../model/node.js';
import { lastFlag } from '../parse/flags.js';
import { mapContainerPath } from '../parse/mounts.js';

export const POLICY_FLAG = 'audit-policy-file';
export const WEBHOOK_FLAG = 'audit-webhook-config-file';
export const LOG_FLAG = 'audit-log-path';

interface Located {
  containerPath: string;
  mapping: AuditPath['mapping'];
  hostPath: string | null;
  hostPathAssumed: boolean;
}

/** Container path -> host path. Host processes (k3s, MicroK8s) read host paths directly; a path no
 * mount covers is looked up at the same host path, marked as assumed. */
export function locate(api: ApiserverConfig, containerPath: string): Located {
  if (api.mode !== 'static-pod') return { containerPath, mapping: null, hostPath: containerPath, hostPathAssumed: false };
  const { mapping, hostPath } = mapContainerPath(containerPath, api.mounts, api.volumes);
  if (!mapping) return { containerPath, mapping: null, hostPath: containerPath, hostPathAssumed: true };
  return { containerPath, mapping, hostPath, hostPathAssumed: false };
}

type WantedPath = Pick<AuditPath, 'role' | 'origin' | 'originLine' | 'originFile' | 'containerPath'>;

/** The paths the audit flags name (the log only when it is a file, not "-" for stdout). */
export function flaggedAuditPaths(api: ApiserverConfig): WantedPath[] {
  const wanted: WantedPath[] = [];
  for (const [role, flag] of [
    ['policy', POLICY_FLAG],
    ['webhook-config', WEBHOOK_FLAG],
    ['log', LOG_FLAG],
  ] as const) {
    const f = lastFlag(api.flags, flag);
    if (!f || !f.value || (role === 'log' && f.value === '-')) continue;
    wanted.push({ role, origin: `--${flag}`, originLine: f.line, originFile: api.file, containerPath: f.value });
  }
  return wanted;
}

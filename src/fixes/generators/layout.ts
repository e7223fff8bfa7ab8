// Where the audit files end up: shared by manifest-patch (flags and mounts) and by the generators
// that write the files, so the flag, the mount and the file always agree.
import path from 'node:path';
import { POLICY_FLAG, WEBHOOK_FLAG, locate } from '../../kube/audit-paths.js';
import type { ApiserverConfig } from '../../model/node.js';
import { lastFlag } from '../../parse/flags.js';

const AUDIT_DIR = '/etc/kubernetes/audit';
const K3S_AUDIT_DIR = '/etc/rancher/k3s/audit';

export interface AuditFileTarget {
  flag: string;
  /** The flag's value today, null when it is not set. */
  current: string | null;
  containerPath: string;
  hostPath: string;
  /** manifest-patch must set the flag to containerPath. */
  changeFlag: boolean;
  /** Host path of an orphaned file (the flag was dropped, the file stayed) the flag is restored to. */
  restoredFrom: string | null;
}

/** Host paths of orphaned audit files to point the missing flags at (see orphaned-audit-files). */
export interface Restore {
  policy: string | null;
  webhook: string | null;
  /** Flags with several candidates and no choice made: manifest-patch lists them and refuses. */
  ambiguous: string[];
}

export const NO_RESTORE: Restore = { policy: null, webhook: null, ambiguous: [] };

export interface AuditLayout {
  dirContainer: string;
  dirHost: string;
  /** manifest-patch must add a hostPath volume and volumeMount for the directory. */
  mountDir: boolean;
  policy: AuditFileTarget;
  webhook: AuditFileTarget;
}

const trim = (p: string) => path.posix.normalize(p).replace(/(.)\/+$/, '$1');

/** A file is kept where it is when a directory mount backed by a hostPath covers it: single-file
 * mounts pin the inode and turn a missing file into a directory or an empty file. */
function wellMounted(api: ApiserverConfig, containerPath: string, isDir = false): string | null {
  const loc = locate(api, containerPath);
  if (api.mode !== 'static-pod') return loc.hostPath;
  if (!loc.mapping?.volume?.hostPath || (!isDir && trim(loc.mapping.mountPath) === trim(containerPath))) return null;
  return loc.hostPath;
}

/** @param relocate true when manifest-patch runs: files that are not well mounted move into the
 * audit directory. Without it every file stays where its flag says. */
export function auditLayout(api: ApiserverConfig, relocate: boolean, restore: Restore = NO_RESTORE): AuditLayout {
  const dirContainer = api.distribution === 'k3s' ? K3S_AUDIT_DIR : AUDIT_DIR;
  const dirHost = wellMounted(api, dirContainer, true) ?? dirContainer;
  const canMove = relocate && api.mode === 'static-pod';
  const taken = new Set<string>();
  const target = (flag: string, defaultName: string, orphan: string | null): AuditFileTarget => {
    const current = lastFlag(api.flags, flag)?.value || null;
    const restoredFrom = current ? null : orphan;
    if (current) {
      const host = wellMounted(api, current);
      if (host !== null || !canMove) {
        taken.add(path.posix.basename(current));
        return {
          flag,
          current,
          containerPath: current,
          hostPath: host ?? locate(api, current).hostPath ?? current,
          changeFlag: false,
          restoredFrom,
        };
      }
    }
    // An orphan stays where it is when the apiserver can read it there: a host process reads host
    // paths, a static pod needs a directory mount showing that host file at the same path.
    if (restoredFrom && (api.mode !== 'static-pod' || wellMounted(api, restoredFrom) === restoredFrom)) {
      taken.add(path.posix.basename(restoredFrom));
      return { flag, current, containerPath: restoredFrom, hostPath: restoredFrom, changeFlag: relocate, restoredFrom };
    }
    const named = current ?? restoredFrom;
    const base = named ? path.posix.basename(named) : defaultName;
    const name = taken.has(base) ? defaultName : base;
    taken.add(name);
    return {
      flag,
      current,
      containerPath: path.posix.join(dirContainer, name),
      hostPath: path.posix.join(dirHost, name),
      changeFlag: relocate,
      restoredFrom,
    };
  };
  const policy = target(POLICY_FLAG, 'audit-policy.yaml', restore.policy);
  const webhook = target(WEBHOOK_FLAG, 'audit-webhook.yaml', restore.webhook);
  const inDir = [policy, webhook].some((t) => t.changeFlag && t.containerPath.startsWith(dirContainer + '/'));
  return { dirContainer, dirHost, mountDir: canMove && inDir && wellMounted(api, dirContainer, true) === null, policy, webhook };
}

// What must be identical on every control-plane node for audit events to flow from all of them:
// the audit flags, the mounts that carry the audit files, and the host paths behind them. Pure.
import type { AuditPath } from '../model/node.js';
import type { ApiserverPod } from '../model/cluster.js';

const NOT_SET = '(not set)';

/** Setting name -> value, for one apiserver pod. */
export function auditSettings(pod: ApiserverPod): Map<string, string> {
  const settings = new Map<string, string>();
  if (!pod.config) return settings;
  // pflag keeps the last occurrence; walking in order and overwriting does the same.
  for (const f of pod.config.flags) if (f.name.startsWith('audit-')) settings.set(`--${f.name}`, f.value ?? '(bare flag)');
  for (const p of pod.auditPaths) {
    settings.set(`${p.role} mount`, mountOf(p));
    settings.set(`${p.role} host path`, p.hostPath ?? '(not a hostPath)');
  }
  return settings;
}

function mountOf(p: AuditPath): string {
  if (!p.mapping) return '(no volumeMount covers it)';
  const v = p.mapping.volume;
  const source = !v
    ? 'undefined volume'
    : v.hostPath === null
      ? `${v.otherKind} volume`
      : `hostPath ${v.hostPath}${v.hostPathType ? ` (${v.hostPathType})` : ''}`;
  return `${p.mapping.mountPath}${p.mapping.readOnly ? ' (ro)' : ''} from ${source}`;
}

export interface Difference {
  setting: string;
  /** The value most nodes have (null when there is no majority). */
  common: string | null;
  /** Nodes whose value is not the common one, with their value. */
  odd: { node: string; value: string }[];
}

/** Settings that differ between pods; each odd node named with its value. */
export function differences(pods: ApiserverPod[]): Difference[] {
  const perPod = pods.map((p) => ({ node: p.node, settings: auditSettings(p) }));
  const names = [...new Set(perPod.flatMap((p) => [...p.settings.keys()]))].sort();
  const out: Difference[] = [];
  for (const setting of names) {
    const values = perPod.map((p) => ({ node: p.node, value: p.settings.get(setting) ?? NOT_SET }));
    const tally = new Map<string, number>();
    for (const { value } of values) tally.set(value, (tally.get(value) ?? 0) + 1);
    if (tally.size < 2) continue;
    const [top, second] = [...tally.entries()].sort((a, b) => b[1] - a[1]);
    const common = top![1] > second![1] ? top![0] : null;
    out.push({ setting, common, odd: values.filter((v) => v.value !== common) });
  }
  return out;
}

// What changed for the audit setup between Kubernetes versions: one row per change, each with its
// source, the first version where it bites, and an example a real kube-apiserver can confirm
// (test-apiserver/version-rules.apiserver.ts runs each example on the 1.20.2 binary). Every
// version gate of the checks and fixes reads this table; `doctor --upgrade-to` walks it.

export interface VersionRule {
  id: string;
  /** First minor version in which the change is in force. */
  since: string;
  component: 'kube-apiserver' | 'kubeadm';
  /** The PR or changelog the row comes from. */
  source: string;
  change: string;
  /** true: kube-apiserver (or kubeadm) refuses to start or to load; false: it warns or differs. */
  fatal: boolean;
  /** true: only informs (what fix writes differently), never a warning. */
  info?: boolean;
  /** What a kube-apiserver started with this setting prints once the rule is in force (a
   * fragment of its stderr), and the setting itself; null for kubeadm rows. */
  example: { flags?: string[]; policy?: string; output: string } | null;
  /** How sure the version is, when it was not read in a release (changelog) or on a binary. */
  note?: string;
}

const V1BETA1_POLICY = 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n';

export const VERSION_RULES: VersionRule[] = [
  {
    id: 'dynamic-audit-removed',
    since: '1.19',
    component: 'kube-apiserver',
    source: 'https://github.com/kubernetes/kubernetes/pull/91502',
    change:
      'dynamic audit removed: --audit-dynamic-configuration, the DynamicAuditing gate and auditregistration.k8s.io stop kube-apiserver at startup',
    fatal: true,
    example: { flags: ['--audit-dynamic-configuration'], output: 'unknown flag: --audit-dynamic-configuration' },
  },
  {
    id: 'audit-policy-v1-only',
    since: '1.24',
    component: 'kube-apiserver',
    source: 'https://github.com/kubernetes/kubernetes/pull/108092',
    change: 'audit.k8s.io/v1beta1 and v1alpha1 audit policies no longer load (deprecated in 1.21 by PR #98858)',
    fatal: true,
    example: { policy: V1BETA1_POLICY, output: 'no kind "Policy" is registered for version "audit.k8s.io/v1beta1"' },
  },
  {
    id: 'audit-event-version-v1-only',
    since: '1.24',
    component: 'kube-apiserver',
    source: 'https://github.com/kubernetes/kubernetes/pull/108092',
    change: '--audit-log-version and --audit-webhook-version accept only audit.k8s.io/v1',
    fatal: true,
    example: {
      flags: ['--audit-webhook-version=audit.k8s.io/v1beta1'],
      output: 'invalid group version, allowed versions are [audit.k8s.io/v1]',
    },
  },
  {
    id: 'strict-policy-decoding',
    since: '1.26',
    component: 'kube-apiserver',
    source: 'https://github.com/kubernetes/kubernetes/pull/113535',
    change:
      'unknown policy fields are logged ("Audit policy contains errors, falling back to lenient decoding: strict decoding error: unknown field ...") and still dropped',
    fatal: false,
    example: {
      policy: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n  verb: ["create"]\n',
      output: 'falling back to lenient decoding',
    },
    note: 'the version is the PR milestone, not yet confirmed on a binary',
  },
  {
    id: 'advanced-auditing-gate-removed',
    since: '1.28',
    component: 'kube-apiserver',
    source: 'https://github.com/kubernetes/kubernetes/pull/118763',
    change: 'the AdvancedAuditing feature gate (GA since 1.12) is removed: naming it in --feature-gates stops kube-apiserver',
    fatal: true,
    example: { flags: ['--feature-gates=AdvancedAuditing=true'], output: 'unrecognized feature gate: AdvancedAuditing' },
  },
  {
    id: 'kubeadm-v1beta4-extra-args',
    since: '1.31',
    component: 'kubeadm',
    source: 'https://kubernetes.io/docs/reference/config-api/kubeadm-config.v1beta4/',
    change: 'kubeadm v1beta4: ClusterConfiguration.apiServer.extraArgs is a list of {name, value} instead of a map',
    fatal: false,
    info: true,
    example: null,
  },
];

/** [major, minor] of "1.24", "v1.24.3", "1.24.0-rc.1"; null when unparsable. */
export function minorOf(version: string | null): [number, number] | null {
  const m = version ? /^v?(\d+)\.(\d+)/.exec(version) : null;
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export function versionAtLeast(version: string | null, since: string): boolean | null {
  const v = minorOf(version);
  const s = minorOf(since)!;
  if (!v) return null;
  return v[0] > s[0] || (v[0] === s[0] && v[1] >= s[1]);
}

export function rule(id: string): VersionRule {
  const r = VERSION_RULES.find((x) => x.id === id);
  if (!r) throw new Error(`no version rule ${id}`);
  return r;
}

/** Whether the rule is in force on `version`: true, false, or null when the version is unknown. */
export function inForce(id: string, version: string | null): boolean | null {
  return versionAtLeast(version, rule(id).since);
}

/** "1.24, kubernetes/kubernetes#108092": where a finding says a rule comes from. */
export function ruleCitation(r: VersionRule): string {
  const pr = /github\.com\/([^/]+\/[^/]+)\/pull\/(\d+)/.exec(r.source);
  return `from ${r.since} (${pr ? `${pr[1]}#${pr[2]}` : r.source.replace(/^https?:\/\//, '')})`;
}

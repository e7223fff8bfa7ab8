// upgrade-rules: `doctor --upgrade-to VERSION` walks the version-rules table from the running
// version to the target and says which rule bites this node, and from which version.
import type { Check } from './check.js';
import type { Evidence } from '../model/report.js';
import type { ApiserverConfig, ParsedFile } from '../model/node.js';
import { readPolicy } from '../parse/policy.js';
import { dynamicLeftovers } from './rules.js';
import { configurableApiserver } from './apiserver-flags.js';
import { VERSION_RULES, ruleCitation, versionAtLeast, type VersionRule } from './version-rules.js';

interface Node {
  api: ApiserverConfig;
  policy: ParsedFile | null;
}

const policyVersion = (n: Node) =>
  n.policy && !n.policy.error && typeof (n.policy.value as { apiVersion?: unknown })?.apiVersion === 'string'
    ? String((n.policy.value as { apiVersion: string }).apiVersion)
    : null;

/** What each rule finds on a node (empty: the node is not affected). Keyed by the rule's id. */
const AFFECTED: Record<string, (n: Node) => string[]> = {
  'dynamic-audit-removed': (n) => dynamicLeftovers(n.api.flags).map((x) => `${x.item} in ${n.api.file}`),
  'audit-policy-v1-only': (n) => {
    const v = policyVersion(n);
    return v === 'audit.k8s.io/v1beta1' || v === 'audit.k8s.io/v1alpha1' ? [`${n.policy!.path} is apiVersion ${v}`] : [];
  },
  'audit-event-version-v1-only': (n) =>
    n.api.flags
      .filter((f) => (f.name === 'audit-log-version' || f.name === 'audit-webhook-version') && f.value && f.value !== 'audit.k8s.io/v1')
      .map((f) => `--${f.name}=${f.value} in ${n.api.file}${f.line ? `:${f.line}` : ''}`),
  'strict-policy-decoding': (n) => {
    if (!n.policy || n.policy.error) return [];
    const { policy, problems } = readPolicy(n.policy.value, null, false);
    const unknown = problems.filter((p) => p.message.startsWith('unknown field')).map((p) => p.field ?? '');
    for (const [i, r] of (policy?.rules ?? []).entries())
      unknown.push(...r.unknownKeys.map((k) => `rules.${i}.${k}`), ...r.unknownResourceKeys.map((k) => `rules.${i}.${k}`));
    return unknown.map((f) => `${n.policy!.path}: unknown field "${f}" (dropped: the rule matches more than written)`);
  },
  'advanced-auditing-gate-removed': (n) =>
    n.api.flags
      .filter((f) => f.name === 'feature-gates' && (f.value ?? '').split(',').some((g) => g.split('=')[0]!.trim() === 'AdvancedAuditing'))
      .map((f) => `--feature-gates=${f.value} in ${n.api.file}${f.line ? `:${f.line}` : ''}`),
  'kubeadm-v1beta4-extra-args': (n) =>
    n.api.distribution === 'kubeadm'
      ? [
          'fix writes the durable snippet as kubeadm.k8s.io/v1beta4 with list-form extraArgs; `kubeadm config migrate` converts an older kubeadm-config',
        ]
      : [],
};

/** Rules in force on `to` (and not before `from`, when `from` is known), with what they find. */
export function rulesCrossed(
  from: string | null,
  to: string,
  node: Node,
): { rule: VersionRule; found: string[]; alreadyInForce: boolean }[] {
  return VERSION_RULES.filter((r) => versionAtLeast(to, r.since)).map((r) => ({
    rule: r,
    found: AFFECTED[r.id]?.(node) ?? [],
    alreadyInForce: versionAtLeast(from, r.since) === true,
  }));
}

export const upgradeRules: Check = {
  id: 'upgrade-rules',
  title: 'audit setup survives the upgrade',
  reads: '--upgrade-to, the apiserver flags, the audit policy, and the version-rules table',
  needs: ['apiserver', 'policy'],
  explain: {
    why: "Kubernetes removes audit settings between releases without warning the running apiserver: dynamic audit (1.19), v1beta1 policies and event versions (1.24), the AdvancedAuditing gate (1.28); kubeadm v1beta4 (1.31) changes the durable configuration's shape. An upgrade that crosses one leaves kube-apiserver down or events silently gone.",
    detect:
      "With --upgrade-to VERSION, every rule of the version-rules table in force on the target is matched against this node's flags and policy; each finding names the version where the rule starts to bite and its source. The other checks judge as the target version would.",
    fix: 'Change what each finding names before upgrading; `prisma-audit fix --upgrade-to VERSION` writes files and a durable snippet for the target.',
  },
  evaluate(facts) {
    const api = configurableApiserver(facts);
    if (!api.upgradeTo) return { status: 'skip', summary: 'no --upgrade-to VERSION given: nothing to judge ahead of an upgrade' };
    const from = api.upgradeFrom ?? null;
    const policyFact = facts.raw('policy');
    const crossed = rulesCrossed(from, api.upgradeTo, { api, policy: policyFact?.ok ? policyFact.value : null });
    const biting = crossed.filter((c) => c.found.length > 0 && !c.rule.info);
    const evidence: Evidence[] = [];
    for (const c of crossed) {
      const head = `${c.rule.component} ${ruleCitation(c.rule)}: ${c.rule.change}`;
      if (c.found.length === 0) evidence.push({ message: `${head}: not affected` });
      else if (c.rule.info) evidence.push({ message: `${head}: ${c.found.join('; ')}` });
      else for (const f of c.found) evidence.push({ message: `${head}: ${f}` });
    }
    const span = `${from ?? 'an unknown version'} -> ${api.upgradeTo}`;
    if (biting.length === 0)
      return {
        status: 'pass',
        summary: `${span}: none of the ${crossed.length} version rule(s) in force on ${api.upgradeTo} affects this node`,
        evidence,
      };
    const fatal = biting.filter((c) => c.rule.fatal);
    const first = (fatal[0] ?? biting[0])!;
    return {
      status: fatal.length > 0 ? 'fail' : 'warn',
      summary: `${span}: ${biting.length} version rule(s) bite this node; first: ${first.rule.change.split(':')[0]} ${ruleCitation(first.rule)}: ${first.found[0]}`,
      evidence,
      remediation: {
        text: `Change what the evidence names before upgrading to ${api.upgradeTo}: each line says from which version it stops working and why. The other checks judge this node as ${api.upgradeTo} would and name their fixes.`,
      },
    };
  },
};

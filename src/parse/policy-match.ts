// Which rule of an audit policy a request hits, as kube-apiserver's policy checker decides it
// (first match wins; no match means level None). Pure.
import type { Policy, PolicyRule } from './policy.js';

export interface AuditRequest {
  user: string;
  groups: string[];
  verb: string;
  namespace: string;
  group: string;
  resource: string;
  subresource: string;
}

function ruleMatchesResource(rule: PolicyRule, req: AuditRequest): boolean {
  if (rule.nonResourceURLs.length > 0) return false;
  if (rule.namespaces.length > 0 && !rule.namespaces.includes(req.namespace)) return false;
  if (rule.resources.length === 0) return true;
  const combined = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
  return rule.resources.some((g) => {
    if (g.group !== req.group) return false;
    if (g.resources.length === 0) return true;
    // The requests judged here (create, exec) carry no object name, so a resourceNames list never matches them.
    if (g.resourceNames.length > 0) return false;
    return g.resources.some(
      (r) => r === '*' || r === combined || (r === `*/${req.subresource}` && req.subresource !== '') || r === `${req.resource}/*`,
    );
  });
}

export function ruleMatches(rule: PolicyRule, req: AuditRequest): boolean {
  if (rule.users.length > 0 && !rule.users.includes(req.user)) return false;
  if (rule.userGroups.length > 0 && !rule.userGroups.some((g) => req.groups.includes(g))) return false;
  if (rule.verbs.length > 0 && !rule.verbs.includes(req.verb)) return false;
  return ruleMatchesResource(rule, req);
}

export interface Decision {
  level: string;
  /** Index of the matching rule, or null when none matched (level None). */
  rule: number | null;
  omitStages: string[];
}

export function decide(policy: Policy, req: AuditRequest): Decision {
  const i = policy.rules.findIndex((r) => ruleMatches(r, req));
  if (i < 0) return { level: 'None', rule: null, omitStages: policy.omitStages };
  const rule = policy.rules[i]!;
  return { level: rule.level, rule: i, omitStages: [...new Set([...policy.omitStages, ...rule.omitStages])] };
}

/** A rule with no selector at all matches every request: anything after it is unreachable. */
export function isCatchAll(rule: PolicyRule): boolean {
  return (
    rule.users.length +
      rule.userGroups.length +
      rule.verbs.length +
      rule.resources.length +
      rule.namespaces.length +
      rule.nonResourceURLs.length ===
    0
  );
}

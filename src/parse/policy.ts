// Validates an audit Policy the way kube-apiserver loads it (k8s.io/apiserver/pkg/audit/policy
// reader + pkg/apis/audit/validation), with its wording. Pure.
import { isObj } from './json-value.js';

export const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export const RULE_FIELDS = [
  'level',
  'users',
  'userGroups',
  'verbs',
  'resources',
  'namespaces',
  'nonResourceURLs',
  'omitStages',
  'omitManagedFields',
];
export const RESOURCE_FIELDS = ['group', 'resources', 'resourceNames'];
const POLICY_FIELDS = ['apiVersion', 'kind', 'metadata', 'rules', 'omitStages', 'omitManagedFields'];
const VERSIONS = ['audit.k8s.io/v1', 'audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1'];

export interface PolicyProblem {
  /** kube-apiserver's wording, when it has one. */
  message: string;
  /** Dotted path for line lookup. */
  field: string;
  /** fatal: kube-apiserver refuses the file; warn: accepted, but not what the author meant. */
  severity: 'fatal' | 'warn';
}

export interface PolicyRule {
  level: string;
  users: string[];
  userGroups: string[];
  verbs: string[];
  resources: { group: string; resources: string[]; resourceNames: string[] }[];
  namespaces: string[];
  nonResourceURLs: string[];
  omitStages: string[];
  /** Keys of the rule that kube-apiserver silently drops. */
  unknownKeys: string[];
  /** Unknown keys inside resources[] entries, as "resources.N.key". */
  unknownResourceKeys: string[];
}

export interface Policy {
  apiVersion: string | null;
  omitStages: string[];
  rules: PolicyRule[];
}

/** Go's json decoding into []string: a list of strings, or null. Anything else is a decode error. */
function stringList(v: unknown, field: string, problems: PolicyProblem[]): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    const got = Array.isArray(v) ? 'a list with a non-string item' : typeof v === 'string' ? 'a string' : typeof v;
    // encoding/json names the field by its Go struct and JSON path: PolicyRule.rules.verbs.
    const leafName = field.split('.').pop()!;
    const struct = field.includes('.resources.')
      ? `GroupResources.rules.resources.${leafName}`
      : field.startsWith('rules.')
        ? `PolicyRule.rules.${leafName}`
        : `Policy.${leafName}`;
    const goType = got === 'a string' ? 'string' : got === 'a list with a non-string item' ? 'number' : got === 'object' ? 'object' : got;
    problems.push({
      message: `failed decoding: json: cannot unmarshal ${goType} into Go struct field ${struct} of type []string`,
      field,
      severity: 'fatal',
    });
    return [];
  }
  return v as string[];
}

/** Where the Policy kinds are registered: apimachinery names the scheme by this source path. */
const scheme = (atLeast124: boolean | null) => `in scheme "k8s.io/apiserver/pkg/audit/scheme.go:${atLeast124 === false ? 32 : 30}"`;
/** field.Invalid prints a []string with %#v before about 1.24 (seen on 1.20.2), as JSON on 1.36. */
const listValue = (v: string[], atLeast124: boolean | null) =>
  atLeast124 === false ? `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}` : JSON.stringify(v);
/** What the decoder says for a file that names no group version (empty, or no apiVersion). */
const NO_GROUP_VERSION = 'unknown group version field audit.k8s.io/__internal, Kind=Policy in policy';
const DNS_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric " +
  "character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function readPolicy(
  value: unknown,
  kubernetesVersion: string | null,
  atLeast124: boolean | null,
): { policy: Policy | null; problems: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  if (!isObj(value)) {
    problems.push({
      message: value === null ? NO_GROUP_VERSION : 'failed decoding: the top level is not a YAML mapping',
      field: '',
      severity: 'fatal',
    });
    return { policy: null, problems };
  }
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : null;
  const kind = typeof value.kind === 'string' ? value.kind : 'Policy';
  if (apiVersion === null) problems.push({ message: NO_GROUP_VERSION, field: 'apiVersion', severity: 'fatal' });
  else if (!VERSIONS.includes(apiVersion) || kind !== 'Policy') {
    problems.push({
      message: `failed decoding: no kind "${kind}" is registered for version "${apiVersion}" ${scheme(atLeast124)}`,
      field: kind !== 'Policy' ? 'kind' : 'apiVersion',
      severity: 'fatal',
    });
  } else if (apiVersion !== 'audit.k8s.io/v1') {
    if (atLeast124 === true) {
      problems.push({
        message: `failed decoding: no kind "Policy" is registered for version "${apiVersion}" ${scheme(atLeast124)}`,
        field: 'apiVersion',
        severity: 'fatal',
      });
    } else {
      problems.push({
        message: `apiVersion ${apiVersion} is ${atLeast124 === false ? 'accepted' : 'accepted up to 1.23'} but refused from Kubernetes 1.24 on${kubernetesVersion ? '' : " (this node's version is unknown)"}: use audit.k8s.io/v1`,
        field: 'apiVersion',
        severity: atLeast124 === null ? 'warn' : 'warn',
      });
    }
  }
  // No kind at all is fine: the decoder takes it from the object it decodes into.
  if (value.kind !== undefined && typeof value.kind !== 'string') {
    problems.push({ message: `failed decoding: kind is ${JSON.stringify(value.kind)}, not a string`, field: 'kind', severity: 'fatal' });
  }
  for (const key of Object.keys(value)) {
    if (!POLICY_FIELDS.includes(key))
      problems.push({ message: `unknown field "${key}" is silently dropped`, field: key, severity: 'warn' });
  }
  const omitStages = stringList(value.omitStages, 'omitStages', problems);
  omitStages.forEach((s, i) => {
    if (!(STAGES as readonly string[]).includes(s))
      problems.push({
        message: `omitStages[${i}]: Invalid value: "${s}": allowed stages are ${STAGES.join(',')}`,
        field: `omitStages.${i}`,
        severity: 'fatal',
      });
  });
  const rawRules = value.rules;
  if (rawRules !== undefined && rawRules !== null && !Array.isArray(rawRules)) {
    const got =
      typeof rawRules === 'string' ? 'string' : typeof rawRules === 'object' ? 'object' : typeof rawRules === 'boolean' ? 'bool' : 'number';
    problems.push({
      message: `failed decoding: json: cannot unmarshal ${got} into Go struct field Policy.rules of type []v1.PolicyRule`,
      field: 'rules',
      severity: 'fatal',
    });
  }
  const list = Array.isArray(rawRules) ? rawRules : [];
  if (list.length === 0 && !problems.some((p) => p.severity === 'fatal')) {
    problems.push({ message: 'loaded illegal policy with 0 rules', field: 'rules', severity: 'fatal' });
  }
  const rules = list.map((r, i) => readRule(r, i, problems, atLeast124));
  return { policy: { apiVersion, omitStages, rules }, problems };
}

function readRule(r: unknown, i: number, problems: PolicyProblem[], atLeast124: boolean | null): PolicyRule {
  const at = `rules.${i}`;
  const rule: PolicyRule = {
    level: '',
    users: [],
    userGroups: [],
    verbs: [],
    resources: [],
    namespaces: [],
    nonResourceURLs: [],
    omitStages: [],
    unknownKeys: [],
    unknownResourceKeys: [],
  };
  if (!isObj(r)) {
    problems.push({ message: `failed decoding: rules[${i}] is not a mapping`, field: at, severity: 'fatal' });
    return rule;
  }
  rule.unknownKeys = Object.keys(r).filter((k) => !RULE_FIELDS.includes(k));
  const level = typeof r.level === 'string' ? r.level : '';
  rule.level = level;
  if (level === '') problems.push({ message: `rules[${i}].level: Required value`, field: `${at}.level`, severity: 'fatal' });
  else if (!(LEVELS as readonly string[]).includes(level)) {
    problems.push({
      message: `rules[${i}].level: Unsupported value: "${level}": supported values: ${LEVELS.map((l) => `"${l}"`).join(', ')}`,
      field: `${at}.level`,
      severity: 'fatal',
    });
  }
  rule.users = stringList(r.users, `${at}.users`, problems);
  rule.userGroups = stringList(r.userGroups, `${at}.userGroups`, problems);
  rule.verbs = stringList(r.verbs, `${at}.verbs`, problems);
  rule.namespaces = stringList(r.namespaces, `${at}.namespaces`, problems);
  rule.nonResourceURLs = stringList(r.nonResourceURLs, `${at}.nonResourceURLs`, problems);
  rule.omitStages = stringList(r.omitStages, `${at}.omitStages`, problems);
  rule.omitStages.forEach((s, j) => {
    if (!(STAGES as readonly string[]).includes(s))
      problems.push({
        message: `rules[${i}].omitStages[${j}]: Invalid value: "${s}": allowed stages are ${STAGES.join(',')}`,
        field: `${at}.omitStages.${j}`,
        severity: 'fatal',
      });
  });
  if (r.resources !== undefined && r.resources !== null && !Array.isArray(r.resources)) {
    problems.push({
      message: `failed decoding: rules[${i}].resources must be a list of {group, resources, resourceNames}`,
      field: `${at}.resources`,
      severity: 'fatal',
    });
  }
  (Array.isArray(r.resources) ? r.resources : []).forEach((g, j) => {
    const gat = `${at}.resources.${j}`;
    if (!isObj(g)) {
      problems.push({ message: `failed decoding: rules[${i}].resources[${j}] is not a mapping`, field: gat, severity: 'fatal' });
      return;
    }
    for (const k of Object.keys(g)) if (!RESOURCE_FIELDS.includes(k)) rule.unknownResourceKeys.push(`resources.${j}.${k}`);
    const group = typeof g.group === 'string' ? g.group : g.group === undefined || g.group === null ? '' : String(g.group);
    const resources = stringList(g.resources, `${gat}.resources`, problems);
    const resourceNames = stringList(g.resourceNames, `${gat}.resourceNames`, problems);
    if (group !== '' && !DNS_SUBDOMAIN.test(group)) {
      problems.push({
        message: `rules[${i}].resources.group: Invalid value: "${group}": ${DNS_SUBDOMAIN_MESSAGE}`,
        field: `${gat}.group`,
        severity: 'fatal',
      });
    }
    if (resourceNames.length > 0 && resources.length === 0) {
      problems.push({
        message: `rules[${i}].resources.resourceNames: Invalid value: ${listValue(resourceNames, atLeast124)}: using resourceNames requires at least one resource`,
        field: `${gat}.resourceNames`,
        severity: 'fatal',
      });
    }
    rule.resources.push({ group, resources, resourceNames });
  });
  if ((rule.resources.length > 0 || rule.namespaces.length > 0) && rule.nonResourceURLs.length > 0) {
    problems.push({
      message: `rules[${i}].nonResourceURLs: Invalid value: ${listValue(rule.nonResourceURLs, atLeast124)}: rules cannot apply to both regular resources and non-resource URLs`,
      field: `${at}.nonResourceURLs`,
      severity: 'fatal',
    });
  }
  rule.nonResourceURLs.forEach((u, j) => {
    if (!u.startsWith('/'))
      problems.push({
        message: `rules[${i}].nonResourceURLs[${j}]: Invalid value: "${u}": non-resource URL rules must begin with a '/' character`,
        field: `${at}.nonResourceURLs.${j}`,
        severity: 'fatal',
      });
    else if (u.includes('*') && u.indexOf('*') !== u.length - 1) {
      problems.push({
        message: `rules[${i}].nonResourceURLs[${j}]: Invalid value: "${u}": non-resource URL wildcards '*' must be the final character of the rule`,
        field: `${at}.nonResourceURLs.${j}`,
        severity: 'fatal',
      });
    }
  });
  return rule;
}

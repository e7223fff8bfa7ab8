// audit-policy: the vendor's recommended policy when there is none (or it does not parse);
// otherwise the user's own policy, repaired in place with comments kept.
import { isMap, isScalar, isSeq, visit, type Node, type Scalar, type YAMLMap } from 'yaml';
import { PRISMA_NEEDS } from '../../checks/rules.js';
import { decide, isCatchAll } from '../../parse/policy-match.js';
import { LEVELS, STAGES, readPolicy, type Policy } from '../../parse/policy.js';
import type { AuditLayout } from './layout.js';
import { RECOMMENDED_POLICY, VENDOR_RULES } from './recommended-policy.js';
import type { GatheredFacts, GeneratorResult } from '../types.js';
import { markStructural, parseForEdit, renderYaml, setScalar, type EditableYaml } from './yaml-edit.js';

/** Keys kube-apiserver silently drops, and the field the author meant. */
const RULE_RENAMES: Record<string, string> = { verb: 'verbs', resource: 'resources', namespace: 'namespaces', user: 'users' };
const CORE_ALIASES = ['core', 'v1'];

function canonical(value: string, allowed: readonly string[]): string | null {
  return allowed.find((a) => a.toLowerCase() === value.toLowerCase()) ?? null;
}

function rename(map: YAMLMap, from: string, to: string, edit: EditableYaml): boolean {
  if (!map.has(from) || map.has(to)) return false;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === from)!;
  setScalar(edit, pair.key as Scalar, to);
  // `verb: create` (a string) would not decode into a list either.
  if (isScalar(pair.value)) {
    pair.value = edit.doc.createNode([pair.value.value]);
    markStructural(edit);
  }
  return true;
}

function fixStages(edit: EditableYaml, node: unknown, where: string, changes: string[]): void {
  if (!isSeq(node)) return;
  for (const item of node.items) {
    if (!isScalar(item) || typeof item.value !== 'string' || (STAGES as readonly string[]).includes(item.value)) continue;
    const fixed = canonical(item.value, STAGES);
    if (fixed) {
      changes.push(`${where}: stage ${item.value} -> ${fixed}`);
      setScalar(edit, item, fixed);
    }
  }
}

/** Field-level repairs; returns the levels that could not be fixed unambiguously. */
function setField(edit: EditableYaml, map: YAMLMap, key: string, value: string): void {
  const node = map.get(key, true);
  if (isScalar(node)) return setScalar(edit, node, value);
  map.set(key, value);
  markStructural(edit);
}

function repairFields(edit: EditableYaml, root: YAMLMap, changes: string[]): string[] {
  const ambiguous: string[] = [];
  if (root.get('apiVersion') !== 'audit.k8s.io/v1') {
    changes.push(`apiVersion ${String(root.get('apiVersion') ?? '(missing)')} -> audit.k8s.io/v1`);
    setField(edit, root, 'apiVersion', 'audit.k8s.io/v1');
  }
  if (root.get('kind') !== 'Policy') {
    changes.push('kind -> Policy');
    setField(edit, root, 'kind', 'Policy');
  }
  fixStages(edit, root.get('omitStages', true), 'omitStages', changes);
  const rules = root.get('rules', true);
  (isSeq(rules) ? rules.items : []).forEach((rule, i) => {
    if (!isMap(rule)) return;
    const at = `rule ${i + 1}`;
    for (const [from, to] of Object.entries(RULE_RENAMES)) if (rename(rule, from, to, edit)) changes.push(`${at}: ${from}: -> ${to}:`);
    const level = rule.get('level', true);
    if (isScalar(level) && typeof level.value === 'string' && !(LEVELS as readonly string[]).includes(level.value)) {
      const fixed = canonical(level.value, LEVELS);
      if (fixed) {
        changes.push(`${at}: level ${level.value} -> ${fixed}`);
        setScalar(edit, level, fixed);
      } else ambiguous.push(`${at}: level "${level.value}"`);
    }
    fixStages(edit, rule.get('omitStages', true), `${at} omitStages`, changes);
    const groups = rule.get('resources', true);
    (isSeq(groups) ? groups.items : []).forEach((g) => {
      if (!isMap(g)) return;
      if (rename(g, 'resource', 'resources', edit)) changes.push(`${at}: resources entry resource: -> resources:`);
      const group = g.get('group', true);
      if (isScalar(group) && CORE_ALIASES.includes(String(group.value))) {
        changes.push(`${at}: group ${String(group.value)} -> "" (the core API group)`);
        setScalar(edit, group, '');
      }
    });
  });
  return ambiguous;
}

/** The rules sequence, for a structural change. */
function rulesSeq(edit: EditableYaml, root: YAMLMap) {
  markStructural(edit);
  const rules = root.get('rules', true);
  if (isSeq(rules)) return rules;
  const seq = edit.doc.createNode([]);
  root.set('rules', seq);
  return seq;
}

const current = (edit: EditableYaml): Policy =>
  readPolicy(edit.doc.toJS(), null, true).policy ?? { apiVersion: null, omitStages: [], rules: [] };

/** The first catch-all decides every request after it: move it last and drop the unreachable others. */
function catchAllLast(edit: EditableYaml, root: YAMLMap, changes: string[]): void {
  const rules = current(edit).rules;
  const first = rules.findIndex(isCatchAll);
  if (first < 0 || first === rules.length - 1) return;
  const seq = rulesSeq(edit, root);
  const nodes = seq.items;
  const catchAll = nodes[first];
  const dropped = rules.map((r, i) => (i > first && isCatchAll(r) ? nodes[i] : null)).filter(Boolean);
  seq.items = [...nodes.filter((n) => n !== catchAll && !dropped.includes(n)), catchAll];
  changes.push(
    `moved the catch-all rule ${first + 1} to the end${dropped.length ? ` and removed ${dropped.length} unreachable catch-all rule(s)` : ''}`,
  );
}

function insertVendorRules(edit: EditableYaml, root: YAMLMap, changes: string[]): void {
  const policy = current(edit);
  const missing = PRISMA_NEEDS.map((need, i) => ({ i, d: decide(policy, need.req) })).filter(
    ({ d }) => LEVELS.indexOf(d.level as never) < LEVELS.indexOf('Request'),
  );
  if (missing.length === 0) return;
  // Before the first rule that now decides a needed request too low (usually the catch-all).
  let at = Math.min(...missing.map(({ d }) => d.rule ?? policy.rules.length));
  const seq = rulesSeq(edit, root);
  for (const v of VENDOR_RULES.filter((r) => r.covers.some((c) => missing.some((m) => m.i === c)))) {
    const node = edit.doc.createNode(v.rule) as Node;
    visit(node, { Seq: (_, s) => void (s.flow = s.items.every(isScalar)) });
    node.commentBefore = ` added by prisma-audit: ${v.covers.map((c) => PRISMA_NEEDS[c]!.what).join(', ')}`;
    seq.items.splice(at++, 0, node);
    changes.push(`added the vendor rule for ${v.covers.map((c) => PRISMA_NEEDS[c]!.what).join(' and ')}`);
  }
}

export function auditPolicy(facts: GatheredFacts, layout: AuditLayout): GeneratorResult {
  const write = (contents: string, description: string): GeneratorResult => [
    { kind: 'write', fix: 'audit-policy', hostPath: layout.policy.hostPath, contents, description, mode: 0o600 },
  ];
  const fact = facts.policy;
  const recommended = (why: string) => write(RECOMMENDED_POLICY, `Prisma Cloud recommended audit policy (${why})`);
  if (fact && !fact.ok && (fact.error.reason === 'permission' || fact.error.reason === 'too-large')) {
    // The file is there but could not be judged: replacing it blind could drop the user's rules.
    return {
      fix: 'audit-policy',
      reason: fact.error.message,
      manualSteps: [fact.error.hint ?? 'Run prisma-audit as root (sudo) so the current policy can be read and repaired.'],
    };
  }
  if (!fact?.ok) return recommended(fact ? fact.error.message : 'no policy was read');
  const file = fact.value;
  if (file.error) return recommended(`${file.path} is not valid YAML: ${file.error.message}`);
  const edit = parseForEdit(file.text);
  const root = 'error' in edit ? null : edit.doc.contents;
  if ('error' in edit || !isMap(root)) return recommended(`${file.path} is not a YAML mapping`);
  const changes: string[] = [];
  const ambiguous = repairFields(edit, root, changes);
  if (ambiguous.length > 0) {
    return {
      fix: 'audit-policy',
      reason: `${file.path}: ${ambiguous.join(', ')} is not one of ${LEVELS.join(', ')} and cannot be corrected without guessing`,
      manualSteps: [
        `Set each listed level to None, Metadata, Request or RequestResponse in ${file.path}, or delete the file and rerun to get the recommended policy.`,
      ],
    };
  }
  catchAllLast(edit, root, changes);
  insertVendorRules(edit, root, changes);
  if (changes.length === 0) return write(file.text, `${file.path}, unchanged`);
  return write(renderYaml(edit), `${file.path} repaired: ${changes.join('; ')}`);
}

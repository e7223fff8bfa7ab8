// Does the policy send Prisma Cloud what its Kubernetes audit rules look at?
import type { Check } from './check.js';
import type { Evidence } from '../model/report.js';
import { decide, isCatchAll } from '../parse/policy-match.js';
import { LEVELS } from '../parse/policy.js';
import { fieldEvidence } from './field-evidence.js';
import { loadPolicy } from './load-policy.js';
import { PRISMA_NEEDS } from './rules.js';

const rank = (level: string) => LEVELS.indexOf(level as (typeof LEVELS)[number]);

export const auditPolicyCoverage: Check = {
  id: 'audit-policy-coverage',
  title: 'audit policy covers what Prisma needs',
  reads: 'the rules of the audit policy',
  needs: ['apiserver', 'policy'],
  explain: {
    why: 'A policy can load and still send Prisma nothing useful: the first matching rule wins, so a catch-all `level: None` placed early silences everything after it; unknown keys such as `verb:` or `resource:` are silently dropped, so the rule matches every verb or resource; `group: core` never matches (the core group is ""); users and groups do not glob.',
    detect:
      "Runs the requests Prisma's audit rules inspect (pods/exec, pods/attach, pod create, writes in the twistlock namespace) through the policy with the apiserver's first-match logic, and lists rules that can never match.",
    fix: 'Put specific rules first and the catch-all last, use `verbs:`/`resources:`, write the core group as "", and give exec/attach/pod create at least level Request (the vendor policy). `prisma-audit fix --only audit-policy` repairs these in place.',
  },
  evaluate(facts) {
    const { file, policy, problems } = loadPolicy(facts);
    if (!policy || policy.rules.length === 0 || problems.some((p) => p.severity === 'fatal')) {
      return { status: 'skip', summary: 'kube-apiserver does not load this policy, so nothing is audited (see audit-policy-valid)' };
    }
    const evidence: Evidence[] = [];
    const fails: string[] = [];
    const warns: string[] = [];
    for (const need of PRISMA_NEEDS) {
      const d = decide(policy, need.req);
      const where = d.rule === null ? 'no rule matches (default None)' : `rule ${d.rule + 1}`;
      evidence.push(
        fieldEvidence(
          file,
          d.rule === null ? 'rules' : `rules.${d.rule}`,
          `${need.what}: level ${d.level} by ${where}${d.omitStages.length ? `, omitStages ${d.omitStages.join(',')}` : ''}`,
        ),
      );
      if (rank(d.level) <= 0) fails.push(`${need.what} is not audited (${where})`);
      else if (rank(d.level) < rank('Request'))
        warns.push(`${need.what} is audited at ${d.level} only; Prisma's recommended policy uses Request`);
      if (d.level !== 'None' && d.omitStages.includes('ResponseComplete') && d.omitStages.includes('ResponseStarted')) {
        warns.push(
          `${need.what}: both ResponseStarted and ResponseComplete are omitted, so only RequestReceived events (without response codes) are sent`,
        );
      }
    }
    policy.rules.forEach((rule, i) => {
      if (isCatchAll(rule) && i < policy.rules.length - 1) {
        warns.push(
          `rule ${i + 1} (level ${rule.level}) matches every request, so the ${policy.rules.length - 1 - i} rule(s) after it never apply`,
        );
        evidence.push(fieldEvidence(file, `rules.${i}`, `catch-all rule ${i + 1} placed before the end`));
      }
      for (const key of [...rule.unknownKeys, ...rule.unknownResourceKeys]) {
        const hint = key.endsWith('verb')
          ? ' (did you mean verbs:? the rule now matches every verb)'
          : key.endsWith('resource')
            ? ' (did you mean resources:? the entry now matches every resource)'
            : '';
        warns.push(`rule ${i + 1}: unknown key "${key.split('.').pop()}" is silently dropped by kube-apiserver${hint}`);
        evidence.push(fieldEvidence(file, `rules.${i}.${key}`, `unknown key ${key}${hint}`));
      }
      rule.resources.forEach((g, j) => {
        if (g.group === 'core' || g.group === 'v1') {
          warns.push(`rule ${i + 1}: group "${g.group}" never matches; the core API group is written ""`);
          evidence.push(fieldEvidence(file, `rules.${i}.resources.${j}.group`, `group: ${g.group} never matches (core group is "")`));
        }
      });
      for (const u of [...rule.users, ...rule.userGroups]) {
        if (u.includes('*')) {
          warns.push(`rule ${i + 1}: "${u}" is compared literally; users and userGroups do not glob`);
          evidence.push(fieldEvidence(file, `rules.${i}`, `"${u}" does not glob`));
        }
      }
    });
    if (fails.length > 0) {
      return {
        status: 'fail',
        summary: `${file.path}: ${fails[0]}${fails.length > 1 ? ` (and ${fails.length - 1} more)` : ''}: Prisma receives no events for it`,
        evidence,
        remediation: {
          text: 'Add the vendor rules before any catch-all: Request for pods/exec and pods/attach, Request for pods create, Request for create/update/patch/delete in namespace twistlock, then `- level: None` last if you want nothing else.',
          fix: 'audit-policy',
        },
      };
    }
    if (warns.length > 0) {
      return {
        status: 'warn',
        summary: `${file.path}: ${warns[0]}${warns.length > 1 ? ` (and ${warns.length - 1} more)` : ''}`,
        evidence,
        remediation: { text: warns.join('; '), fix: 'audit-policy' },
      };
    }
    return {
      status: 'pass',
      summary: `exec, attach, pod creation and twistlock namespace writes are audited at Request or higher`,
      evidence,
    };
  },
};

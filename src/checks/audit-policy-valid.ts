import type { Check } from './check.js';
import { fieldEvidence } from './field-evidence.js';
import { loadPolicy } from './load-policy.js';
import { EXIT_FACTS, exitEvidence } from './startup-exit.js';

export const auditPolicyValid: Check = {
  id: 'audit-policy-valid',
  title: 'audit policy loads',
  reads: 'the audit policy file named by --audit-policy-file',
  needs: ['apiserver', 'policy', ...EXIT_FACTS],
  explain: {
    why: 'kube-apiserver reads the policy once at startup and exits when it does not load ("Error: loading audit policy file: ..."). audit.k8s.io/v1beta1 and v1alpha1 policies from old guides are refused from Kubernetes 1.24 on.',
    detect:
      "Parses the file as YAML and applies the apiserver's decoding and validation: apiVersion and kind, at least one rule, levels None/Metadata/Request/RequestResponse (case-sensitive), stages, non-resource URLs, resourceNames, list types.",
    fix: 'Start from the Prisma Cloud recommended policy (`prisma-audit fix --only audit-policy`), or correct the lines reported. After any change restart kube-apiserver: it never re-reads the file.',
  },
  evaluate(facts) {
    const { file, api, problems } = loadPolicy(facts);
    const prefix = 'loading audit policy file: ';
    if (file.error) {
      const where = file.error.line ? `${file.path}:${file.error.line}` : file.path;
      return {
        status: 'fail',
        summary: `${where}: not valid YAML (${file.error.message}); kube-apiserver exits with "${prefix}failed decoding: yaml: ..."`,
        evidence: [
          { message: file.error.message, file: file.path, ...(file.error.line ? { line: file.error.line } : {}) },
          ...exitEvidence(facts, 'audit-policy-valid'),
        ],
        remediation: { text: `Fix the YAML at ${where} (indentation is the usual cause), or regenerate the policy.`, fix: 'audit-policy' },
      };
    }
    const fatal = problems.filter((p) => p.severity === 'fatal');
    const evidence = problems.map((p) => fieldEvidence(file, p.field, `${p.severity === 'fatal' ? prefix : ''}${p.message}`));
    if (fatal.length > 0) {
      const first = evidence[problems.indexOf(fatal[0]!)]!;
      return {
        status: 'fail',
        summary: `${file.path}${first.line ? `:${first.line}` : ''}: kube-apiserver refuses the policy: ${fatal[0]!.message}${fatal.length > 1 ? ` (and ${fatal.length - 1} more)` : ''}`,
        evidence: [...evidence, ...exitEvidence(facts, 'audit-policy-valid')],
        remediation: {
          text: 'Correct each reported line; levels and stages are case-sensitive. Then restart kube-apiserver.',
          fix: 'audit-policy',
        },
      };
    }
    const warnings = problems.filter((p) => p.severity === 'warn');
    if (warnings.some((w) => w.field === 'apiVersion')) {
      return {
        status: 'warn',
        summary: `${file.path}: ${warnings.find((w) => w.field === 'apiVersion')!.message}`,
        evidence,
        remediation: { text: 'Change apiVersion to audit.k8s.io/v1 (the fields are the same).', fix: 'audit-policy' },
      };
    }
    return {
      status: 'pass',
      summary: `${file.path} loads as kube-apiserver ${api.kubernetesVersion ?? ''} would load it`.replace('  ', ' '),
      evidence,
    };
  },
};

import type { Check } from './check.js';
import type { Evidence } from '../model/report.js';
import { configurableApiserver, flagEvidence } from './apiserver-flags.js';
import { inForce } from './version-rules.js';
import { dynamicLeftovers } from './rules.js';

export const dynamicAuditLeftovers: Check = {
  id: 'dynamic-audit-leftovers',
  title: 'no dynamic audit (AuditSink) leftovers',
  reads: '--audit-dynamic-configuration, --feature-gates, --runtime-config',
  needs: ['apiserver'],
  explain: {
    why: 'Dynamic audit (AuditSink) was removed in Kubernetes 1.19 without a deprecation period, and Prisma Cloud Compute 21.08 stopped using it. Each of its three settings stops a 1.19+ kube-apiserver at startup.',
    detect:
      'Looks for --audit-dynamic-configuration (any value), DynamicAuditing in any --feature-gates occurrence, and auditregistration.k8s.io in any --runtime-config occurrence.',
    fix: 'Remove --audit-dynamic-configuration; remove only the DynamicAuditing=... item from --feature-gates and only the auditregistration.k8s.io/... item from --runtime-config (drop the flag when nothing else is left). Delete any AuditSink objects from old setups. `prisma-audit fix --only manifest-patch` edits the values for you.',
  },
  evaluate(facts) {
    const api = configurableApiserver(facts);
    const found = dynamicLeftovers(api.flags);
    if (found.length === 0)
      return { status: 'pass', summary: 'no --audit-dynamic-configuration, DynamicAuditing gate or auditregistration.k8s.io API group' };
    const evidence: Evidence[] = found.map((x) => {
      const flag = api.flags.find(
        (f) => f.name === x.flag && (f.name === 'audit-dynamic-configuration' || (f.value ?? '').includes(x.item)),
      )!;
      return { ...flagEvidence(api, flag), message: `${x.item}: kube-apiserver >= 1.19 exits with: ${x.apiserverError}` };
    });
    const fatal = inForce('dynamic-audit-removed', api.kubernetesVersion) !== false;
    const list = found.map((x) => x.item).join(', ');
    return {
      status: fatal ? 'fail' : 'warn',
      summary: fatal
        ? `dynamic audit leftovers in ${api.file} stop kube-apiserver${api.kubernetesVersion ? ` ${api.kubernetesVersion}` : ' (1.19 and later)'} at startup: ${list}`
        : `dynamic audit leftovers (${list}) work on ${api.kubernetesVersion} but stop kube-apiserver 1.19 and later at startup`,
      evidence,
      remediation: {
        text: 'Remove these settings (edit combined --feature-gates/--runtime-config values, keep their other items), then delete old AuditSink objects. The static webhook backend replaces dynamic audit.',
        fix: 'manifest-patch',
      },
    };
  },
};

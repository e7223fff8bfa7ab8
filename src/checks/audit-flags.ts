// audit-policy-flag and audit-webhook-flag: the two flags that turn the webhook backend on.
import type { Check, CheckId, FactReader, NeededFile } from './check.js';
import type { Finding } from '../model/report.js';
import { POLICY_FLAG, WEBHOOK_FLAG } from '../kube/audit-paths.js';
import { lastFlag } from '../parse/flags.js';
import { configurableApiserver, flagEvidence, flagLocation, setFlagHowTo } from './apiserver-flags.js';

interface FlagSpec {
  id: CheckId;
  title: string;
  flag: string;
  file: NeededFile;
  defaultPath: string;
  missing: string;
  why: string;
}

function flagCheck(spec: FlagSpec): Check {
  return {
    id: spec.id,
    title: spec.title,
    reads: `--${spec.flag} in the apiserver configuration`,
    needs: ['apiserver'],
    needsFile: spec.file,
    explain: {
      why: spec.why,
      detect: `Reads the kube-apiserver flags (command and args, --flag=value or --flag value; the last occurrence wins, as in pflag) and looks for --${spec.flag} with a non-empty value.`,
      fix: `Add --${spec.flag}=${spec.defaultPath}, and mount the directory that holds it into the apiserver pod (see audit-files-mounted). \`prisma-audit fix --only manifest-patch\` writes the patched manifest.`,
    },
    evaluate(facts: FactReader): Finding {
      const api = configurableApiserver(facts);
      const flag = lastFlag(api.flags, spec.flag);
      if (flag && flag.value) {
        return {
          status: 'pass',
          summary: `--${spec.flag}=${flag.value} (${flagLocation(api, flag)})`,
          evidence: [flagEvidence(api, flag)],
        };
      }
      return {
        status: 'fail',
        summary: flag
          ? `--${spec.flag} is set to an empty value in ${flagLocation(api, flag)}: ${spec.missing}`
          : `--${spec.flag} is not set in ${api.file}: ${spec.missing}`,
        evidence: flag ? [flagEvidence(api, flag)] : [{ message: `no --${spec.flag} among ${api.flags.length} flags`, file: api.file }],
        remediation: { text: setFlagHowTo(api, spec.flag, spec.defaultPath), fix: 'manifest-patch' },
      };
    },
  };
}

export const auditPolicyFlag = flagCheck({
  id: 'audit-policy-flag',
  title: 'audit policy flag set',
  flag: POLICY_FLAG,
  file: 'policy',
  defaultPath: '/etc/kubernetes/audit/audit-policy.yaml',
  missing:
    'without a policy kube-apiserver records no events, builds no webhook backend and never even reads the webhook config (it only logs this at -v=2)',
  why: 'kube-apiserver sends events to a backend only when a policy exists. Without --audit-policy-file the webhook backend is silently skipped, with no error at any normal log level.',
});

export const auditWebhookFlag = flagCheck({
  id: 'audit-webhook-flag',
  title: 'audit webhook flag set',
  flag: WEBHOOK_FLAG,
  file: 'webhook-config',
  defaultPath: '/etc/kubernetes/audit/audit-webhook.yaml',
  missing: 'no webhook backend is built, so no audit event is sent to Prisma Cloud',
  why: 'The webhook backend, which POSTs audit events to the Prisma Cloud console, exists only when --audit-webhook-config-file names a kubeconfig-format file.',
});

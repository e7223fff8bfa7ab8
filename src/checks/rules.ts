// What the checks judge and the fixes repair, kept once for both: the --audit-webhook-* values
// kube-apiserver accepts, the dynamic-audit leftovers that stop it, the stray files of the
// static-pod directory, the requests Prisma's rules inspect, and the audit flags an orphaned file
// can be restored behind. A check turns these into findings; a generator into edits. Version gates
// are the table in version-rules.ts.
import type { ApiserverConfig, AuditOrphan, AuditOrphans, Flag, ManifestsDirEntry, OrphanRole } from '../model/node.js';
import { POLICY_FLAG, WEBHOOK_FLAG } from '../kube/audit-paths.js';
import { lastFlag } from '../parse/flags.js';
import { parseGoBool, parseGoDuration, parseGoFloat, parseGoInt } from '../parse/go-values.js';
import type { AuditRequest } from '../parse/policy-match.js';
import { inForce } from './version-rules.js';

// kube-apiserver's validation of the webhook options (apiserver/pkg/server/options/audit.go).
type Kind = 'int' | 'float' | 'bool' | 'duration' | 'string';

const WEBHOOK_FLAGS: Record<string, Kind> = {
  'audit-webhook-mode': 'string',
  'audit-webhook-batch-buffer-size': 'int',
  'audit-webhook-batch-max-size': 'int',
  'audit-webhook-batch-max-wait': 'duration',
  'audit-webhook-batch-throttle-enable': 'bool',
  'audit-webhook-batch-throttle-qps': 'float',
  'audit-webhook-batch-throttle-burst': 'int',
  'audit-webhook-initial-backoff': 'duration',
  'audit-webhook-batch-initial-backoff': 'duration',
  'audit-webhook-truncate-enabled': 'bool',
  'audit-webhook-truncate-max-batch-size': 'int',
  'audit-webhook-truncate-max-event-size': 'int',
  'audit-webhook-version': 'string',
};

const PARSERS: Record<Exclude<Kind, 'string'>, { parse: (s: string) => unknown; go: string }> = {
  int: { parse: parseGoInt, go: 'strconv.ParseInt: parsing "%s": invalid syntax' },
  float: { parse: parseGoFloat, go: 'strconv.ParseFloat: parsing "%s": invalid syntax' },
  bool: { parse: parseGoBool, go: 'strconv.ParseBool: parsing "%s": invalid syntax' },
  duration: { parse: parseGoDuration, go: 'time: invalid duration "%s"' },
};

export interface WebhookOptionProblem {
  flag: Flag | undefined;
  apiserverError: string;
  fatal: boolean;
}

function value<T>(api: ApiserverConfig, name: string, parse: (s: string) => T | null, fallback: T): T {
  const f = lastFlag(api.flags, name);
  const v = f?.value == null ? null : parse(f.value);
  return v ?? fallback;
}

export function webhookOptionProblems(api: ApiserverConfig): WebhookOptionProblem[] {
  const problems: WebhookOptionProblem[] = [];
  for (const f of api.flags) {
    const kind = WEBHOOK_FLAGS[f.name];
    if (!kind || kind === 'string') continue;
    // A bare boolean flag means true; any other kind needs a value.
    if (f.value === null && kind === 'bool') continue;
    const raw = f.value ?? '';
    if (PARSERS[kind].parse(raw) === null) {
      problems.push({
        flag: f,
        fatal: true,
        apiserverError: `Error: invalid argument "${raw}" for "--${f.name}" flag: ${PARSERS[kind].go.replace('%s', raw)}`,
      });
    }
  }
  const modeFlag = lastFlag(api.flags, 'audit-webhook-mode');
  const mode = modeFlag?.value ?? 'batch';
  if (!['batch', 'blocking', 'blocking-strict'].includes(mode)) {
    problems.push({
      flag: modeFlag,
      fatal: true,
      apiserverError: `Error: invalid audit webhook mode ${mode}, allowed modes are "batch,blocking,blocking-strict"`,
    });
  }
  if (mode === 'batch') {
    const positive = (name: string, fallback: number, what: string, when = true) => {
      const v = value(api, name, parseGoInt, fallback);
      if (when && v <= 0)
        problems.push({
          flag: lastFlag(api.flags, name),
          fatal: true,
          apiserverError: `invalid audit batch webhook ${what} ${v}, must be a positive number`,
        });
    };
    positive('audit-webhook-batch-buffer-size', 10000, 'buffer size');
    positive('audit-webhook-batch-max-size', 400, 'max batch size');
    const throttle = lastFlag(api.flags, 'audit-webhook-batch-throttle-enable');
    const throttled = throttle ? (throttle.value === null ? true : (parseGoBool(throttle.value) ?? true)) : true;
    const qps = value(api, 'audit-webhook-batch-throttle-qps', parseGoFloat, 10);
    if (throttled && qps <= 0)
      problems.push({
        flag: lastFlag(api.flags, 'audit-webhook-batch-throttle-qps'),
        fatal: true,
        apiserverError: `invalid audit batch webhook throttle QPS ${qps}, must be a positive number`,
      });
    positive('audit-webhook-batch-throttle-burst', 15, 'throttle burst', throttled);
  }
  const truncate = lastFlag(api.flags, 'audit-webhook-truncate-enabled');
  if (truncate && (truncate.value === null || parseGoBool(truncate.value) === true)) {
    const event = value(api, 'audit-webhook-truncate-max-event-size', parseGoInt, 102400);
    const batch = value(api, 'audit-webhook-truncate-max-batch-size', parseGoInt, 10485760);
    if (event <= 0)
      problems.push({
        flag: lastFlag(api.flags, 'audit-webhook-truncate-max-event-size'),
        fatal: true,
        apiserverError: `invalid audit truncate webhook max event size ${event}, must be a positive number`,
      });
    if (batch < event)
      problems.push({
        flag: lastFlag(api.flags, 'audit-webhook-truncate-max-batch-size'),
        fatal: true,
        apiserverError: `invalid audit truncate webhook max batch size ${batch}, must be greater than max event size (${event})`,
      });
  }
  const version = lastFlag(api.flags, 'audit-webhook-version');
  if (version?.value) {
    const modern = inForce('audit-event-version-v1-only', api.kubernetesVersion);
    const allowed = modern === false ? ['audit.k8s.io/v1', 'audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1'] : ['audit.k8s.io/v1'];
    if (!allowed.includes(version.value)) {
      problems.push({
        flag: version,
        fatal: modern !== null || !version.value.startsWith('audit.k8s.io/'),
        apiserverError: `invalid group version, allowed versions are [${allowed.join(' ')}]`,
      });
    }
  }
  return problems;
}

/** The --feature-gates item and the --runtime-config entry of dynamic audit: the check reports them,
 * manifest-patch drops them and keeps the rest of the value. */
export const isDynamicAuditGate = (gate: string) => gate.split('=')[0]!.trim() === 'DynamicAuditing';
export const isAuditRegistrationEntry = (entry: string) => entry.trim().startsWith('auditregistration.k8s.io');

/** Each leftover of dynamic audit (AuditSink), with what a >= 1.19 kube-apiserver prints for it. */
export function dynamicLeftovers(
  flags: { name: string; value: string | null }[],
): { flag: string; item: string; apiserverError: string }[] {
  const found: { flag: string; item: string; apiserverError: string }[] = [];
  for (const f of flags) {
    if (f.name === 'audit-dynamic-configuration') {
      found.push({
        flag: f.name,
        item: `--${f.name}${f.value === null ? '' : `=${f.value}`}`,
        apiserverError: 'Error: unknown flag: --audit-dynamic-configuration',
      });
    }
    // pflag calls Set for every occurrence, so each one is parsed (not only the last).
    if (f.name === 'feature-gates' && f.value) {
      for (const gate of f.value.split(',')) {
        if (isDynamicAuditGate(gate)) {
          found.push({
            flag: f.name,
            item: gate.trim(),
            apiserverError: `Error: invalid argument "${f.value}" for "--feature-gates" flag: unrecognized feature gate: DynamicAuditing`,
          });
        }
      }
    }
    if (f.name === 'runtime-config' && f.value) {
      for (const entry of f.value.split(',')) {
        if (isAuditRegistrationEntry(entry)) {
          found.push({ flag: f.name, item: entry.trim(), apiserverError: 'Error: unknown api groups auditregistration.k8s.io' });
        }
      }
    }
  }
  return found;
}

const KNOWN_PODS =
  /^(etcd|kube-apiserver|kube-controller-manager|kube-scheduler|kube-proxy|haproxy|keepalived|kube-vip|kube-addon-manager|etcd-events|etcd-manager-main|etcd-manager-events|kube-apiserver-healthcheck)\.(ya?ml|json|manifest)$/;
const BACKUP =
  /(\.(bak|backup|orig|old|save|swp|tmp|dpkg-old|dpkg-dist|rpmsave|rpmnew)\d*$|~$|\.(ya?ml|manifest)[._-]\w+$|[._-](bak|backup|orig|old|copy)\d*(\.(ya?ml|manifest))?$)/i;
const AUDIT_FILE = /(audit|policy|webhook)/i;

/** Files in the static-pod directory the kubelet should not see: backups of pod manifests, and
 * audit files dropped there (manifests-dir-cleanup moves the same files). */
export function strayFiles(manifestName: string, entries: ManifestsDirEntry[]) {
  const files = entries.filter((e) => !e.name.startsWith('.') && e.kind === 'file');
  const backups = files.filter((e) => e.name !== manifestName && !KNOWN_PODS.test(e.name) && BACKUP.test(e.name));
  const audit = files.filter((e) => e.name !== manifestName && !backups.includes(e) && !KNOWN_PODS.test(e.name) && AUDIT_FILE.test(e.name));
  return { files, backups, audit };
}

const USER = { user: 'jane@example.com', groups: ['system:authenticated'] };

/** Requests Prisma's default rules inspect (vendor recommended policy, in the same order). */
export const PRISMA_NEEDS: { what: string; req: AuditRequest }[] = [
  {
    what: 'kubectl exec (pods/exec create)',
    req: { ...USER, verb: 'create', namespace: 'default', group: '', resource: 'pods', subresource: 'exec' },
  },
  {
    what: 'kubectl attach (pods/attach create)',
    req: { ...USER, verb: 'create', namespace: 'default', group: '', resource: 'pods', subresource: 'attach' },
  },
  {
    what: 'pod creation (pods create)',
    req: { ...USER, verb: 'create', namespace: 'default', group: '', resource: 'pods', subresource: '' },
  },
  {
    what: 'writes in the twistlock namespace (configmaps update)',
    req: { ...USER, verb: 'update', namespace: 'twistlock', group: '', resource: 'configmaps', subresource: '' },
  },
];

const ORPHAN_ROLES: { role: OrphanRole; flag: string; what: string }[] = [
  { role: 'policy', flag: POLICY_FLAG, what: 'audit policy' },
  { role: 'webhook-config', flag: WEBHOOK_FLAG, what: 'webhook kubeconfig' },
];

/** For every audit flag that is not set: the files that could be restored behind it. */
export function restorable(
  api: ApiserverConfig,
  orphans: AuditOrphans,
): { role: OrphanRole; flag: string; what: string; candidates: AuditOrphan[] }[] {
  return ORPHAN_ROLES.filter((r) => !lastFlag(api.flags, r.flag)?.value).map((r) => ({
    ...r,
    candidates: orphans.candidates.filter((c) => c.role === r.role && !c.referenced),
  }));
}

export const describeOrphan = (c: AuditOrphan) =>
  `${c.hostPath}: ${c.detail}; ${c.foundBy}${c.copies.length > 0 ? ` (same bytes at ${c.copies.join(', ')})` : ''}`;

// Validates --audit-webhook-* values with kube-apiserver's own rules and wording
// (apiserver/pkg/server/options/audit.go).
import type { Check } from './check.js';
import type { Evidence } from '../model/report.js';
import type { ApiserverConfig, Flag } from '../model/node.js';
import { lastFlag } from '../parse/flags.js';
import { parseGoBool, parseGoDuration, parseGoFloat, parseGoInt } from '../parse/go-values.js';
import { configurableApiserver, flagEvidence } from './common.js';
import { inForce } from './version-rules.js';

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

interface Problem {
  flag: Flag | undefined;
  apiserverError: string;
  fatal: boolean;
}

function value<T>(api: ApiserverConfig, name: string, parse: (s: string) => T | null, fallback: T): T {
  const f = lastFlag(api.flags, name);
  const v = f?.value == null ? null : parse(f.value);
  return v ?? fallback;
}

export function webhookOptionProblems(api: ApiserverConfig): Problem[] {
  const problems: Problem[] = [];
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

export const auditWebhookMode: Check = {
  id: 'audit-webhook-mode',
  title: 'audit webhook options valid',
  reads: '--audit-webhook-mode and the other --audit-webhook-* flags',
  needs: ['apiserver'],
  explain: {
    why: 'kube-apiserver refuses to start with an invalid webhook mode, batch size, throttle, truncate size, duration or event version. The blocking modes make every API request wait on the Prisma console (blocking-strict even fails requests when it cannot deliver).',
    detect:
      "Parses each --audit-webhook-* value with Go's rules (strconv, time.ParseDuration) and applies kube-apiserver's validation, which runs only when --audit-webhook-config-file is set.",
    fix: 'Use --audit-webhook-mode=batch (the default) and leave the batch values at their defaults unless you have measured a need. Events then reach Prisma up to --audit-webhook-batch-max-wait (30s) late.',
  },
  evaluate(facts) {
    const api = configurableApiserver(facts);
    const problems = webhookOptionProblems(api);
    const active = Boolean(lastFlag(api.flags, 'audit-webhook-config-file')?.value);
    const evidence: Evidence[] = problems.map((p) => ({
      ...(p.flag ? flagEvidence(api, p.flag) : { file: api.file }),
      message: p.apiserverError,
    }));
    const deprecated = lastFlag(api.flags, 'audit-webhook-batch-initial-backoff');
    if (problems.length > 0) {
      const fatal = problems.some((p) => p.fatal);
      return {
        status: active && fatal ? 'fail' : 'warn',
        summary: active
          ? `kube-apiserver rejects ${problems.length === 1 ? 'a webhook option' : `${problems.length} webhook options`}: ${problems[0]!.apiserverError.replace(/^Error: /, '')}`
          : `invalid webhook options (ignored while --audit-webhook-config-file is unset, fatal once it is set): ${problems[0]!.apiserverError.replace(/^Error: /, '')}`,
        evidence,
        remediation: {
          text: 'Correct or remove the flags listed; the defaults (mode batch, buffer 10000, batch 400, wait 30s, qps 10, burst 15) suit Prisma Cloud.',
          fix: 'manifest-patch',
        },
      };
    }
    const modeFlag = lastFlag(api.flags, 'audit-webhook-mode');
    const mode = modeFlag?.value ?? 'batch';
    if (mode !== 'batch') {
      return {
        status: 'warn',
        summary:
          mode === 'blocking-strict'
            ? '--audit-webhook-mode=blocking-strict: every API request waits on the Prisma console, and requests fail when auditing at RequestReceived fails'
            : '--audit-webhook-mode=blocking: every API request waits for the Prisma console to accept its events',
        evidence: modeFlag ? [flagEvidence(api, modeFlag)] : [],
        remediation: {
          text: 'Use --audit-webhook-mode=batch (the default) unless losing an event is worse than a slow or failing API.',
          fix: 'manifest-patch',
        },
      };
    }
    if (deprecated) {
      return {
        status: 'warn',
        summary: '--audit-webhook-batch-initial-backoff is deprecated; use --audit-webhook-initial-backoff',
        evidence: [flagEvidence(api, deprecated)],
        remediation: { text: 'Rename the flag to --audit-webhook-initial-backoff.', fix: 'manifest-patch' },
      };
    }
    return {
      status: 'pass',
      summary: `webhook mode ${mode}${modeFlag ? '' : ' (default)'}; other --audit-webhook-* values are valid`,
      evidence: modeFlag ? [flagEvidence(api, modeFlag)] : [],
    };
  },
};

// Validates --audit-webhook-* values with kube-apiserver's own rules and wording
// (apiserver/pkg/server/options/audit.go).
import type { Check } from './check.js';
import type { Evidence } from '../model/report.js';
import { lastFlag } from '../parse/flags.js';
import { configurableApiserver, flagEvidence } from './apiserver-flags.js';
import { webhookOptionProblems } from './rules.js';

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

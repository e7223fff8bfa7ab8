// node-logs: what the node's own logs say about the audit setup. The fact holds the lines the
// prefilter kept; they are judged here with the signature catalogue. Known failures logged after the
// apiserver's latest start are current (fail); older ones are history (warn). Pure.
import type { Check, CheckId } from './check.js';
import { judgeNodeLogs, notKept, type NodeLogsJudged } from '../logs/judge.js';
import type { Evidence, Finding } from '../model/report.js';
import type { LogHit, NodeLogs, Severity } from '../model/logs.js';

/** One signature across every source it was seen in. */
interface Seen {
  signature: string;
  hits: LogHit[];
  current: boolean;
  severity: Severity;
}

/** The fix that writes the files behind each check a log signature implicates. A log line is
 * history: the fix corrects the cause, and the next apiserver start clears the finding. A closed
 * port or an unreadable manifest has no file fix. */
const FIX_OF_CAUSE: Partial<Record<CheckId, string>> = {
  'dynamic-audit-leftovers': 'manifest-patch',
  'audit-files-mounted': 'manifest-patch',
  'audit-files-readable': 'manifest-patch',
  'audit-log-path': 'manifest-patch',
  'audit-policy-flag': 'manifest-patch',
  'audit-webhook-flag': 'manifest-patch',
  'audit-webhook-mode': 'manifest-patch',
  'audit-policy-valid': 'audit-policy',
  'manifests-dir-clean': 'manifests-dir-cleanup',
  'webhook-ca-data': 'webhook-kubeconfig',
  'webhook-config-valid': 'webhook-kubeconfig',
  'webhook-url': 'webhook-kubeconfig',
  'webhook-tls-chain': 'webhook-kubeconfig',
};

export const nodeLogsCheck: Check = {
  id: 'node-logs',
  title: 'Node logs show no audit webhook errors',
  reads: 'kubelet journal, crictl ps/logs of kube-apiserver, /var/log/pods and /var/log/containers, --log-file files',
  needs: ['nodeLogs'],
  fromLogs: true,
  explain: {
    why: "The apiserver reads the audit files once at startup and exits on any error in them, and drops audit batches the webhook refuses. Its logs and the kubelet's say exactly which, even when the files now look right.",
    detect:
      "Scans the kubelet journal (--since, default 24h), the current and previous kube-apiserver containers (crictl), their log files and any --log-file for known failure lines, and compares their times with the apiserver's latest start.",
    fix: 'Each finding names the check that locates the cause and the fix that corrects it (`prisma-audit fix --only <fix>`); fix that, then restart the apiserver: the logs change only with its next start.',
  },
  evaluate(facts): Finding {
    const logs = facts.get('nodeLogs');
    const read = logs.sources.filter((s) => s.state === 'used');
    if (read.length === 0) return noSource(logs);
    const judged = judgeNodeLogs(logs);
    const seen = groupBySignature(judged);
    if (seen.length === 0) {
      return {
        status: 'pass',
        summary: `no known audit webhook errors in ${read.length} log source(s)`,
        evidence: logs.sources.map(sourceEvidence),
      };
    }
    const failing = seen.filter((s) => s.current && s.severity !== 'warning');
    const since = judged.latestStart ? ` (apiserver last started ${judged.latestStart.at})` : '';
    const summary =
      failing.length > 0
        ? `current errors in node logs${since}: ${failing.map((s) => s.signature).join(', ')}`
        : seen.some((s) => s.current)
          ? `warnings in node logs: ${seen.map((s) => s.signature).join(', ')}`
          : `only errors from before the apiserver's latest start${since}: ${seen.map((s) => s.signature).join(', ')}`;
    return {
      status: failing.length > 0 ? 'fail' : 'warn',
      summary,
      evidence: [...seen.map((s) => hitEvidence(s, judged)), ...containerEvidence(logs), ...logs.sources.map(sourceEvidence)],
      remediation: remediation(failing.length > 0 ? failing : seen),
    };
  },
};

function noSource(logs: NodeLogs): Finding {
  return {
    status: 'unknown',
    summary: 'could not read any node log source',
    evidence: logs.sources.map(sourceEvidence),
    remediation: {
      text: 'Run prisma-audit as root on the control-plane node (journalctl and crictl need it), or save the logs elsewhere and pass them with --log-file PATH (repeatable).',
      commands: [
        'sudo prisma-audit doctor',
        'journalctl -u kubelet --since -24h -o short-iso > kubelet.log',
        'prisma-audit doctor --log-file kubelet.log',
      ],
    },
  };
}

/** A signature is current when any sighting is at or after the latest start, or cannot be placed
 * in time (no time on the line, or no known start): not knowing is not proof that it is old. */
function groupBySignature(logs: NodeLogsJudged): Seen[] {
  const start = logs.latestStart ? Date.parse(logs.latestStart.at) : null;
  const bySignature = new Map<string, Seen>();
  for (const hit of logs.hits) {
    const current = start === null || hit.lastSeen === null || Date.parse(hit.lastSeen) >= start;
    const entry = bySignature.get(hit.signature) ?? { signature: hit.signature, hits: [], current: false, severity: hit.severity };
    entry.hits.push(hit);
    entry.current ||= current;
    bySignature.set(hit.signature, entry);
  }
  return [...bySignature.values()];
}

function hitEvidence(seen: Seen, logs: NodeLogsJudged): Evidence {
  const [first] = seen.hits;
  const where = seen.hits.map((h) => `${h.count}× in ${h.source}`).join(', ');
  const times = seen.hits
    .flatMap((h) => [h.firstSeen, h.lastSeen])
    .filter((t): t is string => t !== null)
    .sort();
  const [earliest, latest] = [times[0], times[times.length - 1]];
  const span = !earliest ? ', no time on the lines' : earliest === latest ? `, at ${earliest}` : `, ${earliest} to ${latest}`;
  const when = seen.current
    ? logs.latestStart
      ? 'current'
      : 'current (no apiserver start found to compare with)'
    : 'before the latest apiserver start';
  return {
    message: `${seen.signature}: ${first!.meaning}; ${where}${span}; ${when}; see check ${first!.implicates}`,
    file: first!.source,
    actual: first!.sample,
  };
}

function containerEvidence(logs: NodeLogs): Evidence[] {
  const c = logs.container;
  if (!c) return [];
  const exit = c.exitCode === null ? '' : `, exit code ${c.exitCode}`;
  return [{ message: `kube-apiserver container ${c.id.slice(0, 13)}: attempt ${c.attempt} (restarts), state ${c.state}${exit}` }];
}

function sourceEvidence(source: NodeLogs['sources'][number]): Evidence {
  const state =
    source.state === 'used' ? `read ${source.bytes} bytes${source.format ? ` (${source.format})` : ''}` : source.state.replace('-', ' ');
  // Counts and times then cover the lines kept, not every line the source held.
  const omitted = source.omitted > 0 ? `; ${notKept(source.omitted)}` : '';
  return { message: `${source.name}: ${state}${source.reason ? `: ${source.reason}` : ''}${omitted}` };
}

function remediation(seen: Seen[]): Finding['remediation'] {
  const checks = [...new Set(seen.map((s) => s.hits[0]!.implicates))];
  const fixes = seen.map((s) => `${s.signature} -> ${s.hits[0]!.implicates}: ${s.hits[0]!.fix}`);
  // A fatal line (the apiserver did not start) outranks a delivery error when naming the one fix.
  const fix = [...seen]
    .sort((a, b) => Number(b.severity === 'fatal') - Number(a.severity === 'fatal'))
    .map((s) => FIX_OF_CAUSE[s.hits[0]!.implicates])
    .find(Boolean);
  return {
    text: `Look at ${checks.map((c) => `\`${c}\``).join(', ')}. ${fixes.join(' ')} The logs describe the apiserver's last start: after fixing, restart it and run doctor again.`,
    commands: checks.map((c) => `prisma-audit explain ${c}`),
    ...(fix ? { fix } : {}),
  };
}

// apiserver-logs: what each apiserver said, read through the API (current and previous attempt):
// the lines the fact kept, judged here with the log signature catalogue. Pure.
import type { Check } from './check.js';
import { notKept, sourceHits } from '../logs/judge.js';
import type { LogHit } from '../model/logs.js';
import type { Evidence, Finding } from '../model/report.js';

export const apiserverLogs: Check = {
  id: 'apiserver-logs',
  title: 'apiserver logs free of audit errors',
  reads: 'current and previous kube-apiserver container logs of every apiserver pod (Kubernetes API: pods/log)',
  needs: ['apiserverPodLogs'],
  network: true,
  explain: {
    why: "A broken audit setup shows in the apiserver's own words: a fatal startup error (the container restarts, its previous log holds the reason) or \"Error in audit plugin 'webhook'\" when batches cannot be delivered.",
    detect:
      'Reads the last 5000 lines (at most 4 MiB) of the current and the previous kube-apiserver container of each pod through GET pods/log, and matches them against the log signature catalogue.',
    fix: 'Follow the fix of each signature, and the check it names, on the node it was seen on.',
  },
  evaluate(facts): Finding {
    const logs = facts.get('apiserverPodLogs');
    const evidence: Evidence[] = [];
    let fatal: { node: string; text: string; fix: string } | null = null;
    let error: { node: string; text: string; fix: string } | null = null;
    let readCount = 0;
    const warned: { node: string; hit: LogHit }[] = [];
    for (const pod of logs) {
      for (const read of pod.reads) {
        if (read.bytes === null) {
          evidence.push({ message: `${pod.node}: ${read.attempt} log not read: ${read.reason}` });
          continue;
        }
        readCount++;
        const hits = sourceHits(`pods/log kube-system/${pod.pod} (${read.attempt})`, read.log);
        warned.push(...hits.map((hit) => ({ node: pod.node, hit })));
        evidence.push({
          message: `${pod.node}: ${read.attempt} log, ${read.bytes} bytes${read.truncated ? ' (cut at the byte limit)' : ''}, ${hits.length} known signature(s)${read.log.omitted > 0 ? ` (${notKept(read.log.omitted)})` : ''}`,
        });
        for (const hit of hits) {
          const text = `${pod.node} (${read.attempt} log): ${hit.meaning} (${hit.count}x; see ${hit.implicates})`;
          evidence.push({ message: `${text}: ${hit.sample}` });
          if (hit.severity === 'fatal') fatal ??= { node: pod.node, text, fix: hit.fix };
          else if (hit.severity === 'error') error ??= { node: pod.node, text, fix: hit.fix };
        }
      }
    }
    if (readCount === 0)
      return {
        status: 'unknown',
        summary: 'no apiserver log could be read',
        evidence,
        remediation: { text: 'Allow "get pods/log in kube-system", or read the logs on each node (crictl logs, /var/log/pods).' },
      };
    const worst = fatal ?? error;
    if (worst) return { status: 'fail', summary: worst.text, evidence, remediation: { text: worst.fix } };
    if (warned.length > 0) {
      const w = warned[0]!;
      return { status: 'warn', summary: `${w.node}: ${w.hit.meaning}`, evidence, remediation: { text: w.hit.fix } };
    }
    return { status: 'pass', summary: `${readCount} apiserver log(s) read on ${logs.length} node(s): no known audit error`, evidence };
  },
};

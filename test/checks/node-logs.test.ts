import { describe, expect, it } from 'vitest';
import { nodeLogsCheck } from '../../src/checks/node-logs.js';
import { evaluateSafely } from '../../src/checks/run.js';
import type { LogSource, NodeLogs } from '../../src/model/logs.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const POD_LOG = '/var/log/pods/kube-system_kube-apiserver-n1_u/kube-apiserver/3.log';
const CRICTL = 'crictl logs --timestamps abc';

const source = (name: string, kind: LogSource['kind'], state: LogSource['state'], reason: string | null, bytes: number): LogSource => ({
  name,
  kind,
  state,
  reason,
  format: state === 'used' ? 'cri' : null,
  bytes,
  lines: [],
  omitted: 0,
  starts: [],
});
const readSource = source(POD_LOG, 'pod-log', 'used', null, 1234);
const crictlSource = source(CRICTL, 'crictl', 'used', null, 99);
const deniedJournal = source('journalctl -u kubelet', 'journal', 'not-permitted', 'non-root', 0);

const POST = 'Post "https://console.example:8083/api/v1/kubernetes/webhook/****?timeout=30s"';
/** A line of each signature the cases use, as the collector keeps it (masked). */
const MESSAGES: Record<string, string> = {
  'webhook-x509-unknown-authority': `Error in audit plugin 'webhook' affecting 3 audit events: ${POST}: x509: certificate signed by unknown authority`,
  'webhook-connection-refused': `Error in audit plugin 'webhook' affecting 3 audit events: ${POST}: dial tcp 10.0.0.9:8083: connect: connection refused`,
  'policy-file-missing':
    'Error: loading audit policy file: failed to read file path "/etc/kubernetes/audit/policy.yaml": open /etc/kubernetes/audit/policy.yaml: no such file or directory',
  'dynamic-audit-flag': 'Error: unknown flag: --audit-dynamic-configuration',
  'policy-version-deprecated':
    'W1127 10:00:00.000000       1 reader.go:70] "audit.k8s.io/v1beta1" is deprecated and will be removed in a future release, use "audit.k8s.io/v1" instead',
};

/** Four lines of one signature at one time (null: lines without a time) in one source. */
interface Sighting {
  signature: string;
  at: string | null;
  source: string;
}
const seen = (signature: string, at: string | null, from = POD_LOG): Sighting => ({ signature, at, source: from });

/** The fact as the collector leaves it: each sighting's lines in its source, the start on the first. */
function logs(sightings: Sighting[], latestStart: string | null, sources = [readSource, deniedJournal]): NodeLogs {
  return {
    sources: sources.map((s, i) => ({
      ...s,
      starts: i === 0 && latestStart ? [{ at: latestStart, evidence: 'first line of 3.log' }] : [],
      lines: sightings
        .filter((x) => x.source === s.name)
        .flatMap((x) =>
          [0, 1, 2, 3].map((n) => ({
            offset: n * 300,
            time: x.at,
            hit: 'audit',
            text: x.at === null ? MESSAGES[x.signature]! : `${x.at} stderr F ${MESSAGES[x.signature]!}`,
          })),
        ),
    })),
    container: null,
  };
}

const evaluate = (value: NodeLogs) => evaluateSafely(nodeLogsCheck, { nodeLogs: { ok: true, value } }, NOW);

describe('node-logs check', () => {
  it.each([
    [
      'an error after the latest start',
      logs([seen('webhook-x509-unknown-authority', '2026-11-27T10:00:00.000Z')], '2026-11-27T09:00:00.000Z'),
      'fail',
    ],
    [
      'an error at the moment of the start (a startup failure)',
      logs([seen('policy-file-missing', '2026-11-27T09:00:00.000Z')], '2026-11-27T09:00:00.000Z'),
      'fail',
    ],
    [
      'only errors before the latest start',
      logs([seen('webhook-x509-unknown-authority', '2026-11-27T08:00:00.000Z')], '2026-11-27T09:00:00.000Z'),
      'warn',
    ],
    ['an error with no time and no known start', logs([seen('dynamic-audit-flag', null)], null), 'fail'],
    ['a current warning only', logs([seen('policy-version-deprecated', '2026-11-27T10:00:00.000Z')], '2026-11-27T09:00:00.000Z'), 'warn'],
    ['no errors in a readable source', logs([], '2026-11-27T09:00:00.000Z'), 'pass'],
    ['no readable source', logs([], null, [deniedJournal]), 'unknown'],
  ])('%s -> %s', (_name, value, status) => {
    expect(evaluate(value).status).toBe(status);
  });

  it.each([
    ['a delivery error', [seen('webhook-x509-unknown-authority', '2026-11-27T10:00:00.000Z')], 'webhook-kubeconfig'],
    [
      'a fatal policy error after a delivery error',
      [seen('webhook-x509-unknown-authority', '2026-11-27T10:00:00.000Z'), seen('policy-file-missing', '2026-11-27T10:00:00.000Z')],
      'manifest-patch',
    ],
    ['a refused connection (no file fixes it)', [seen('webhook-connection-refused', '2026-11-27T10:00:00.000Z')], undefined],
  ])('names the fix of the cause for %s', (_name, hits, fix) => {
    expect(evaluate(logs(hits, '2026-11-27T09:00:00.000Z')).remediation?.fix).toBe(fix);
  });

  it('gives each signature as evidence with counts, times, source, sample and the implicated check', () => {
    const value = logs(
      [
        seen('webhook-x509-unknown-authority', '2026-11-27T10:00:00.000Z'),
        seen('webhook-x509-unknown-authority', '2026-11-27T11:00:00.000Z', CRICTL),
      ],
      '2026-11-27T09:00:00.000Z',
      [readSource, crictlSource, deniedJournal],
    );
    const finding = evaluate(value);
    // One evidence for the signature, then the sources looked at.
    expect(finding.evidence!.map((e) => e.message.split(':')[0])).toEqual([
      'webhook-x509-unknown-authority',
      POD_LOG,
      CRICTL,
      'journalctl -u kubelet',
    ]);
    const [evidence] = finding.evidence!;
    expect(evidence!.message).toContain(`4× in ${POD_LOG}, 4× in ${CRICTL}`);
    expect(evidence!.message).toContain('2026-11-27T10:00:00.000Z to 2026-11-27T11:00:00.000Z');
    expect(evidence!.message).toContain('see check webhook-tls-chain');
    expect(evidence!.actual).toContain('/api/v1/kubernetes/webhook/****');
    expect(finding.remediation!.commands).toEqual(['prisma-audit explain webhook-tls-chain']);
    const once = evaluate(logs([seen('webhook-x509-unknown-authority', '2026-11-27T10:00:00.000Z')], null));
    expect(once.evidence![0]!.message).toContain(
      '4× in /var/log/pods/kube-system_kube-apiserver-n1_u/kube-apiserver/3.log, at 2026-11-27T10:00:00.000Z; current (no apiserver start found to compare with)',
    );
  });

  it('lists the sources read when it passes, and says how to let it look when it cannot', () => {
    const pass = evaluate(logs([], null));
    expect(pass.evidence!.map((e) => e.message)).toEqual([
      `${POD_LOG}: read 1234 bytes (cri)`,
      'journalctl -u kubelet: not permitted: non-root',
    ]);
    const unknown = evaluate(logs([], null, [deniedJournal]));
    expect(unknown.remediation!.text).toMatch(/root/);
    expect(unknown.remediation!.text).toMatch(/--log-file/);
  });

  it('says when a source held more candidate lines than the fact keeps', () => {
    const value = logs([seen('webhook-x509-unknown-authority', '2026-11-27T10:00:00.000Z')], null, [{ ...readSource, omitted: 7 }]);
    expect(evaluate(value).evidence!.at(-1)!.message).toBe(
      `${POD_LOG}: read 1234 bytes (cri); 7 candidate line(s) not kept: counts and times cover the first and newest per prefilter literal`,
    );
  });

  it('is unknown, not failing, when the fact could not be gathered', () => {
    const finding = evaluateSafely(
      nodeLogsCheck,
      { nodeLogs: { ok: false, error: { reason: 'parse', message: '--since x is not a duration' } } },
      NOW,
    );
    expect(finding.status).toBe('unknown');
  });
});

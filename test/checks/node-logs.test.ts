import { describe, expect, it } from 'vitest';
import { nodeLogsCheck } from '../../src/checks/node-logs.js';
import { evaluateSafely } from '../../src/checks/run.js';
import type { LogHit, LogSourceReport, NodeLogs } from '../../src/model/logs.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const POD_LOG = '/var/log/pods/kube-system_kube-apiserver-n1_u/kube-apiserver/3.log';

const readSource: LogSourceReport = { name: POD_LOG, kind: 'pod-log', state: 'used', reason: null, format: 'cri', bytes: 1234 };
const deniedJournal: LogSourceReport = {
  name: 'journalctl -u kubelet',
  kind: 'journal',
  state: 'not-permitted',
  reason: 'non-root',
  format: null,
  bytes: 0,
};

function hit(signature: string, lastSeen: string | null, severity: LogHit['severity'] = 'error'): LogHit {
  return {
    signature,
    source: POD_LOG,
    count: 4,
    firstSeen: lastSeen,
    lastSeen,
    sample: `2026-11-27T10:00:00Z stderr F Error in audit plugin 'webhook' ... /api/v1/kubernetes/webhook/****`,
    meaning: 'the meaning',
    implicates: 'webhook-tls-chain',
    fix: 'the fix',
    severity,
  };
}

function logs(hits: LogHit[], latestStart: string | null, sources = [readSource, deniedJournal]): NodeLogs {
  return { sources, hits, latestStart: latestStart ? { at: latestStart, evidence: 'first line of 3.log' } : null, container: null };
}

const evaluate = (value: NodeLogs) => evaluateSafely(nodeLogsCheck, { nodeLogs: { ok: true, value } }, NOW);

describe('node-logs check', () => {
  it.each([
    [
      'an error after the latest start',
      logs([hit('webhook-x509-unknown-authority', '2026-11-27T10:00:00.000Z')], '2026-11-27T09:00:00.000Z'),
      'fail',
    ],
    [
      'an error at the moment of the start (a startup failure)',
      logs([hit('policy-file-missing', '2026-11-27T09:00:00.000Z', 'fatal')], '2026-11-27T09:00:00.000Z'),
      'fail',
    ],
    [
      'only errors before the latest start',
      logs([hit('webhook-x509-unknown-authority', '2026-11-27T08:00:00.000Z')], '2026-11-27T09:00:00.000Z'),
      'warn',
    ],
    ['an error with no time and no known start', logs([hit('dynamic-audit-flag', null, 'fatal')], null), 'fail'],
    [
      'a current warning only',
      logs([hit('policy-version-deprecated', '2026-11-27T10:00:00.000Z', 'warning')], '2026-11-27T09:00:00.000Z'),
      'warn',
    ],
    ['no errors in a readable source', logs([], '2026-11-27T09:00:00.000Z'), 'pass'],
    ['no readable source', logs([], null, [deniedJournal]), 'unknown'],
  ])('%s -> %s', (_name, value, status) => {
    expect(evaluate(value).status).toBe(status);
  });

  it.each([
    ['a delivery error', [hit('webhook-x509-unknown-authority', '2026-11-27T10:00:00.000Z')], 'webhook-kubeconfig'],
    [
      'a fatal policy error after a delivery error',
      [
        hit('webhook-x509-unknown-authority', '2026-11-27T10:00:00.000Z'),
        { ...hit('policy-file-missing', '2026-11-27T10:00:00.000Z', 'fatal'), implicates: 'audit-files-mounted' },
      ],
      'manifest-patch',
    ],
    [
      'a refused connection (no file fixes it)',
      [{ ...hit('webhook-connection-refused', '2026-11-27T10:00:00.000Z'), implicates: 'webhook-reachable' }],
      undefined,
    ],
  ])('names the fix of the cause for %s', (_name, hits, fix) => {
    expect(evaluate(logs(hits, '2026-11-27T09:00:00.000Z')).remediation?.fix).toBe(fix);
  });

  it('gives each signature as evidence with counts, times, source, sample and the implicated check', () => {
    const value = logs(
      [
        hit('webhook-x509-unknown-authority', '2026-11-27T10:00:00.000Z'),
        { ...hit('webhook-x509-unknown-authority', '2026-11-27T11:00:00.000Z'), source: 'crictl logs --timestamps abc' },
      ],
      '2026-11-27T09:00:00.000Z',
    );
    const finding = evaluate(value);
    // One evidence for the signature, then the sources looked at.
    expect(finding.evidence!.map((e) => e.message.split(':')[0])).toEqual([
      'webhook-x509-unknown-authority',
      POD_LOG,
      'journalctl -u kubelet',
    ]);
    const [evidence] = finding.evidence!;
    expect(evidence!.message).toContain(`4× in ${POD_LOG}, 4× in crictl logs --timestamps abc`);
    expect(evidence!.message).toContain('2026-11-27T10:00:00.000Z to 2026-11-27T11:00:00.000Z');
    expect(evidence!.message).toContain('see check webhook-tls-chain');
    expect(evidence!.actual).toContain('/api/v1/kubernetes/webhook/****');
    expect(finding.remediation!.commands).toEqual(['prisma-audit explain webhook-tls-chain']);
    const once = evaluate(logs([hit('webhook-x509-unknown-authority', '2026-11-27T10:00:00.000Z')], null));
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

  it('is unknown, not failing, when the fact could not be gathered', () => {
    const finding = evaluateSafely(
      nodeLogsCheck,
      { nodeLogs: { ok: false, error: { reason: 'parse', message: '--since x is not a duration' } } },
      NOW,
    );
    expect(finding.status).toBe('unknown');
  });
});

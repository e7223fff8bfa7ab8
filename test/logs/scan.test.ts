import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { scanLog } from '../../src/logs/scan.js';
import { countSignatures, lastStartLine } from '../../src/logs/judge.js';
import { SIGNATURES } from '../../src/logs/signatures.js';
import { FORMATS, NOW, fixtureLogs } from '../helpers/log-formats.js';

/** What each real 1.20.2 failure must be recognised as. */
const EXPECTED: Record<string, string[]> = {
  'dynamic-feature-gate': ['dynamic-audit-feature-gate'],
  'dynamic-flag': ['dynamic-audit-flag'],
  'dynamic-runtime-config': ['dynamic-audit-api-group'],
  'policy-bad-level': ['policy-field-invalid'],
  'policy-broken-yaml': ['policy-yaml-invalid'],
  'policy-missing': ['policy-file-missing'],
  'policy-no-rules': ['policy-no-rules'],
  'webhook-bad-base64': ['webhook-ca-data-not-base64'],
  'webhook-bad-context': ['webhook-context-not-found'],
  'webhook-bad-mode': ['webhook-mode-invalid'],
  'webhook-ca-file-and-data': ['webhook-ca-file-and-data', 'webhook-ca-file-unreadable'],
  'webhook-ca-file-missing': ['webhook-ca-file-unreadable'],
  'webhook-empty-server': ['webhook-no-server'],
  'webhook-is-directory': ['webhook-config-is-directory'],
  'webhook-missing': ['webhook-config-missing'],
};

const IMPLICATES: Record<string, string> = {
  'dynamic-audit-feature-gate': 'dynamic-audit-leftovers',
  'policy-file-missing': 'audit-files-mounted',
  'policy-field-invalid': 'audit-policy-valid',
  'webhook-ca-data-not-base64': 'webhook-ca-data',
  'webhook-no-server': 'webhook-config-valid',
  'webhook-mode-invalid': 'audit-webhook-mode',
  'webhook-context-not-found': 'webhook-config-valid',
};

const cases = fixtureLogs().flatMap(({ name, lines }) => Object.keys(FORMATS).map((format) => ({ name, format, lines })));

describe('scanLog on the real kube-apiserver 1.20.2 failures', () => {
  it('has an expectation for every fixture log', () => {
    expect(fixtureLogs().map((f) => f.name)).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(cases)('$name as $format', async ({ name, format, lines }) => {
    const text = FORMATS[format]!(lines);
    // 7-byte chunks: every line and every anchor is cut across chunk boundaries somewhere.
    const chunks = Readable.from(
      Buffer.from(text)
        .toString('latin1')
        .match(/[\s\S]{1,7}/g)!
        .map((c) => Buffer.from(c, 'latin1')),
    );
    const result = await scanLog(chunks, { now: NOW });
    expect([...countSignatures(result).keys()].sort()).toEqual(EXPECTED[name]!.slice().sort());
    for (const count of countSignatures(result).values()) expect(count.count).toBe(1);
  });

  it('names the check each failure implicates', () => {
    for (const [id, check] of Object.entries(IMPLICATES)) expect(SIGNATURES.find((s) => s.id === id)?.implicates).toBe(check);
  });

  it('finds the first line past journal comments that come in a chunk of their own', async () => {
    const chunks = ['-- Logs begin at Thu 2026-11-26 00:00:00 UTC. --\n', '2026-11-27T07:01:00+0000 node1 kubelet[812]: I1127 started\n'];
    for (const format of [undefined, 'journal-iso' as const]) {
      const result = await scanLog(chunks, format ? { now: NOW, format } : { now: NOW });
      expect(result.format).toBe('journal-iso');
      expect(result.firstTime).toBe(Date.parse('2026-11-27T07:01:00Z'));
    }
  });

  it('detects the format and reads the line times', async () => {
    const { lines } = fixtureLogs().find((f) => f.name === 'policy-missing')!;
    const detected = await Promise.all(
      Object.entries(FORMATS).map(async ([name, wrap]) => [name, (await scanLog([wrap(lines)], { now: NOW })).format]),
    );
    expect(Object.fromEntries(detected)).toEqual({
      plain: 'plain',
      cri: 'cri',
      'cri-split': 'cri',
      'journal-iso': 'journal-iso',
      'journal-short': 'journal-short',
      'command-failed': 'plain',
    });
    // In one chunk and in 7-byte chunks, where the line before is gone by the time `Error:` is read.
    const plainText = FORMATS.plain!(lines);
    const chunked = await scanLog(plainText.match(/[\s\S]{1,7}/g)!, { now: NOW });
    expect(new Date(countSignatures(chunked).get('policy-file-missing')!.last!).toISOString()).toBe('2026-11-27T06:55:35.842Z');
    const plain = await scanLog([plainText], { now: NOW });
    // The `Error:` line has no time of its own: it takes the klog time of the line before it.
    expect(new Date(countSignatures(plain).get('policy-file-missing')!.last!).toISOString()).toBe('2026-11-27T06:55:35.842Z');
    expect(new Date(lastStartLine(plain)!).toISOString()).toBe('2026-11-27T06:55:35.842Z');
    const cri = await scanLog([FORMATS.cri!(lines)], { now: NOW });
    expect(new Date(cri.firstTime!).toISOString()).toBe('2026-11-27T06:55:30.447Z');
    expect(new Date(countSignatures(cri).get('policy-file-missing')!.first!).toISOString()).toBe('2026-11-27T06:55:32.447Z');
  });
});

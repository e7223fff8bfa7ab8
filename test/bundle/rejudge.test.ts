// A bundle keeps the log lines, not the verdicts: `doctor --from-bundle` judges them with today's
// signature catalogue, and a bundle from before, which kept only verdicts, says it cannot be judged.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toRecording } from '../../src/bundle/recording.js';
import { judgeNodeLogs } from '../../src/logs/judge.js';
import { SIGNATURES } from '../../src/logs/signatures.js';
import type { CandidateLine, LogSource, NodeLogs, Signature } from '../../src/model/logs.js';
import type { Report } from '../../src/model/report.js';
import { entries, tarGz } from '../helpers/archive.js';
import { REPO, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-rejudge-'));
const at = (name: string) => path.join(tmp, name);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface FactsJson {
  facts: { nodeLogs: { ok: true; value: NodeLogs } };
}
let facts: () => FactsJson;
let results: string;

beforeAll(async () => {
  const good = at('good.tar.gz');
  const r = await runCli(['bundle', '--root', path.join(REPO, 'fixtures/scenarios/kubeadm-healthy/root'), '--out', good]);
  expect(r.code, r.stderr).toBe(0);
  const files = await entries(good);
  const text = files.get('facts.json')!.toString('utf8');
  facts = () => JSON.parse(text) as FactsJson;
  results = files.get('results.json')!.toString('utf8');
});

const nodeLogsOf = (report: Report) => report.checks.find((c) => c.id === 'node-logs')!;

/** A delivery error after the apiserver's start, as the collector keeps it (masked). */
const X509: CandidateLine = {
  offset: 1_000_000,
  time: '2030-01-01T00:00:00.000Z',
  hit: 'audit plugin',
  text: `2030-01-01T00:00:00.000000000Z stderr F E0101 00:00:00.000000       1 metrics.go:110] Error in audit plugin 'webhook' affecting 3 audit events: Post "https://console:8083/api/v1/kubernetes/webhook/****?timeout=30s": x509: certificate signed by unknown authority`,
};

describe('doctor --from-bundle judges the kept log lines', () => {
  it('fails on a kept line that the verdict recorded in the bundle passed', async () => {
    const recorded = JSON.parse(results) as Report;
    expect(nodeLogsOf(recorded).status).toBe('pass');
    const json = facts();
    const source = json.facts.nodeLogs.value.sources.find((s) => s.kind === 'pod-log' && s.state === 'used')!;
    source.lines.push(X509);
    writeFileSync(at('rejudge.tar.gz'), await tarGz({ 'facts.json': JSON.stringify(json), 'results.json': results }));
    const r = await runCli(['doctor', '--from-bundle', at('rejudge.tar.gz'), '--json']);
    const check = nodeLogsOf(JSON.parse(r.stdout) as Report);
    expect(check.status).toBe('fail');
    expect(check.summary).toContain('webhook-x509-unknown-authority');
  });

  it('judges the same kept lines with a signature added to the catalogue later', () => {
    // Kept by the prefilter (it holds the anchor `audit webhook`), matched by no signature today.
    const line = 'E0101 00:00:00.000000       1 webhook.go:1] audit webhook: batch rejected by a future Console';
    const logs: NodeLogs = {
      sources: [
        {
          name: '/var/log/kubelet.log',
          kind: 'log-file',
          state: 'used',
          reason: null,
          format: 'plain',
          bytes: line.length,
          lines: [{ offset: 0, time: '2030-01-01T00:00:00.000Z', hit: 'audit webhook', text: line }],
          omitted: 0,
          starts: [],
        },
      ],
      container: null,
    };
    const later: Signature = {
      id: 'webhook-batch-rejected',
      anchors: ['audit webhook'],
      pattern: /batch rejected/,
      meaning: 'the Console rejected a batch',
      implicates: 'webhook-url',
      fix: 'Ask the Console why.',
      severity: 'error',
    };
    expect(judgeNodeLogs(logs).hits).toEqual([]);
    expect(judgeNodeLogs(logs, [...SIGNATURES, later]).hits).toMatchObject([
      { signature: 'webhook-batch-rejected', source: '/var/log/kubelet.log', count: 1, lastSeen: '2030-01-01T00:00:00.000Z' },
    ]);
  });

  it('judges a planted 8 MB line of a bundle in bounded time', () => {
    const text = `Error in audit plugin 'webhook' ${"audit plugin 'webhook' ".repeat(350_000)}`;
    const line = { offset: 0, time: null, hit: 'audit plugin', text };
    const source: Omit<LogSource, 'lines'> = {
      name: 'f',
      kind: 'log-file',
      state: 'used',
      reason: null,
      format: 'plain',
      bytes: 0,
      omitted: 0,
      starts: [],
    };
    const started = performance.now();
    const { hits } = judgeNodeLogs({ sources: [{ ...source, lines: [line] }], container: null });
    expect(hits.map((h) => h.signature)).toEqual(['webhook-delivery-failed']);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('says a bundle that kept log verdicts instead of lines cannot be judged again, and judges the rest', async () => {
    const json = facts() as unknown as { facts: Record<string, { ok: boolean; value: unknown }> };
    const { sources } = json.facts.nodeLogs!.value as NodeLogs;
    // The shape earlier bundles wrote: sources without lines, and the verdicts beside them.
    json.facts.nodeLogs!.value = {
      sources: sources.map(({ name, kind, state, reason, format, bytes }) => ({ name, kind, state, reason, format, bytes })),
      hits: [],
      latestStart: null,
      container: null,
    };
    writeFileSync(at('old.tar.gz'), await tarGz({ 'facts.json': JSON.stringify(json) }));
    const [old, good] = await Promise.all([
      runCli(['doctor', '--from-bundle', at('old.tar.gz'), '--json']),
      runCli(['doctor', '--from-bundle', at('good.tar.gz'), '--json']),
    ]);
    expect(old.stderr).toBe('');
    const oldReport = JSON.parse(old.stdout) as Report;
    const check = nodeLogsOf(oldReport);
    expect(check.status).toBe('unknown');
    expect(check.summary).toMatch(/kept log verdicts instead of the log lines: they cannot be judged again/);
    expect(check.remediation?.text).toMatch(/Write a new bundle/);
    const others = (report: Report) => report.checks.filter((c) => c.id !== 'node-logs').map((c) => [c.id, c.status]);
    expect(others(oldReport)).toEqual(others(JSON.parse(good.stdout) as Report));
  });

  it('says the same of apiserver pod logs that kept verdicts', () => {
    const json = facts() as unknown as { facts: Record<string, unknown> };
    const read = { attempt: 'current', bytes: 10, truncated: false, reason: null, hits: [] };
    json.facts.apiserverPodLogs = { ok: true, value: [{ pod: 'kube-apiserver-a', node: 'a', reads: [read] }] };
    expect(toRecording(json).facts.apiserverPodLogs).toMatchObject({
      ok: false,
      error: { reason: 'unsupported', message: expect.stringContaining('kept log verdicts instead of the log lines') },
    });
  });
});

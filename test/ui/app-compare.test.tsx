// The terminal UI's "changed since" marker: the same comparison the text report prints.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import type { CheckResult, Report } from '../../src/model/report.js';
import { changedSince, compareReports, comparisonLines } from '../../src/report/compare.js';
import { makeStyle } from '../../src/report/style.js';

const result = (id: string, status: CheckResult['status']): CheckResult => ({ id, title: id, status, summary: `${id} now`, evidence: [], remediation: null, durationMs: 1 });
const report = (checks: CheckResult[], flags: Record<string, string>): Report => ({
  schemaVersion: 1,
  tool: { name: 'prisma-audit', version: '0' },
  target: { root: '/', manifest: null, distribution: null, kubernetesVersion: null, demo: false, offline: true },
  checks,
  summary: { pass: 0, warn: 0, fail: 0, skip: 0, unknown: 0 },
  fingerprint: { takenAt: '2026-11-01T00:00:00.000Z', node: { hostname: 'cp1', machineId: null, manifest: null }, cluster: null, flags, files: [] },
});

describe('App with --compare', () => {
  it('marks regressions and changes on their rows and prints the comparison under the summary', () => {
    const before = report([result('audit-policy-flag', 'pass'), result('webhook-url', 'fail'), result('node-logs', 'pass')], { 'audit-webhook-mode': 'batch' });
    const now = report([result('audit-policy-flag', 'fail'), result('webhook-url', 'pass'), result('node-logs', 'pass')], { 'audit-webhook-mode': 'blocking' });
    const c = compareReports(before, now, 'before.json', null);
    const marks = Object.fromEntries(now.checks.flatMap((r) => (changedSince(c, r.id) ? [[r.id, changedSince(c, r.id)!]] : [])));
    const ui = render(<App header={['h']} demo={false} verbose={false} frame={0} results={now.checks} running={[]} summary={{ pass: 2, warn: 0, fail: 1, skip: 0, unknown: 0 }} marks={marks} comparison={comparisonLines(c, makeStyle(false))} />);
    const frame = ui.lastFrame()!;
    expect(frame).toMatch(/audit-policy-flag\s+audit-policy-flag now\n\s+▲ REGRESSION since before.json: pass -> fail/);
    expect(frame).toContain('▲ changed since before.json: fail -> pass');
    expect(frame).not.toMatch(/node-logs now\n\s+▲/);
    expect(frame.replace(/\n/g, ' ')).toContain('Compared with before.json (taken 2026-11-01T00:00:00.000Z): 1 regression(s), 1 fixed, 1 configuration change(s)');
    expect(frame).toMatch(/REGRESSION audit-policy-flag\s+pass -> fail/);
    expect(frame).toContain('CONFIG     --audit-webhook-mode: batch -> blocking');
    ui.unmount();
  });
});

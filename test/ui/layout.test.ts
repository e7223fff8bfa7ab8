// The frame as lines: fits the window, problems first, skipped folded, selection always visible.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, Report, Status } from '../../src/model/report.js';
import { loadUnicodeCells } from '../../src/report/cells.js';
import { makeStyle } from '../../src/report/style.js';
import { layout, rowsOf, type View } from '../../src/ui/layout.js';
import { applyEvent, initialModel, type RunModel } from '../../src/ui/model.js';

// As the UI lays out, with the measures that know all of Unicode (App.tsx loads them).
beforeAll(loadUnicodeCells);

const plain = makeStyle(false);
const view = (over: Partial<View> = {}): View => ({
  selected: 0,
  detailsTop: 0,
  frame: 0,
  elapsedMs: 0,
  fix: null,
  notice: null,
  keys: { fix: true, bundle: true, interactive: true },
  ...over,
});
const result = (id: string, status: Status, summary = `${id} summary`): CheckResult => ({
  id,
  title: `${id} title`,
  status,
  summary,
  evidence: [
    {
      message: `${id} evidence that is long enough to wrap on a narrow terminal window, twice over at least`,
      file: '/etc/kubernetes/manifests/kube-apiserver.yaml',
      line: 12,
    },
  ],
  remediation: status === 'pass' || status === 'skip' ? null : { text: `${id} remedy`, commands: [], fix: 'manifest-patch' },
  durationMs: 1,
});

const statuses: Status[] = [
  'pass',
  'skip',
  'fail',
  'unknown',
  'warn',
  'skip',
  'pass',
  'fail',
  'skip',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
  'pass',
];
const results = statuses.map((s, i) =>
  result(`check-${String(i).padStart(2, '0')}`, s, s === 'skip' ? (i === 8 ? 'no console given' : 'cluster mode is off') : undefined),
);
const checks = results.map((r) => ({ id: r.id, title: r.title, needs: ['apiserver'] }));

function finished(): RunModel {
  let m = initialModel({ name: 'prisma-audit', version: '0.1.0' }, { root: '/', demo: false }, checks);
  const summary = { pass: 0, warn: 0, fail: 0, skip: 0, unknown: 0 };
  for (const r of results) summary[r.status]++;
  const report: Report = {
    schemaVersion: 1,
    tool: m.tool,
    target: { root: '/', manifest: '/m.yaml', distribution: 'kubeadm', kubernetesVersion: '1.28.2', demo: false, offline: false },
    checks: results,
    summary,
  };
  for (const r of results) m = applyEvent(m, { type: 'check-done', result: r });
  return applyEvent(m, { type: 'done', report });
}

describe('layout', () => {
  it('orders fail, warn, unknown, pass and folds skipped checks into one row per reason', () => {
    const rows = rowsOf(finished());
    const kinds = rows.map((r) => (r.kind === 'skipped' ? `skip:${r.results.length}` : r.result!.status));
    expect(kinds.slice(0, 4)).toEqual(['fail', 'fail', 'warn', 'unknown']);
    expect(kinds.slice(-2)).toEqual(['skip:2', 'skip:1']);
    expect(kinds.filter((k) => k === 'pass')).toHaveLength(23);
  });

  it.each([
    [80, 24],
    [100, 40],
    [200, 60],
    [40, 10],
  ])('fits %ix%i: fewer lines than rows, none wider than the window', (columns, rows) => {
    const { lines } = layout(finished(), view(), { columns, rows }, plain);
    expect(lines.length).toBeLessThan(rows);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(columns);
    expect(lines.join('\n')).toContain('check-02');
  });

  it('keeps the selection visible however far it moves', () => {
    const model = finished();
    const count = rowsOf(model).length;
    for (let selected = 0; selected < count; selected++) {
      const { lines } = layout(model, view({ selected }), { columns: 80, rows: 24 }, plain);
      expect(lines.filter((l) => l.startsWith('›'))).toHaveLength(1);
    }
  });

  it('wraps details under their own column and pages them', () => {
    const { lines, detailsHeight, detailsLength } = layout(finished(), view(), { columns: 60, rows: 24 }, plain);
    const at = lines.findIndex((l) => l.includes('· /etc/kubernetes/manifests/kube-apiserver.yaml:12'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {4}\S/);
    expect(detailsLength).toBeGreaterThan(0);
    const paged = layout(finished(), view({ detailsTop: 2 }), { columns: 60, rows: 12 }, plain);
    expect(paged.lines.join('\n')).toMatch(/3-\d+ of \d+/);
    expect(detailsHeight).toBeGreaterThan(0);
  });

  it('keeps rows in catalogue order while running, with the spinner in the status column', () => {
    let m = initialModel({ name: 'prisma-audit', version: '0.1.0' }, { root: '/', demo: false }, checks.slice(0, 3));
    expect(layout(m, view(), { columns: 80, rows: 24 }, plain).lines[0]).toContain('gathering: apiserver manifest');
    m = applyEvent(m, { type: 'check-start', id: 'check-00', title: 't' });
    m = applyEvent(m, { type: 'check-done', result: results[2]! });
    const lines = layout(m, view(), { columns: 80, rows: 24 }, plain).lines;
    expect(lines.slice(1, 4).map((l) => l.slice(0, 12))).toEqual(['›⠋       che', ' ·       che', ' FAIL    che']);
  });
});

describe('doctor --compare in the terminal UI', () => {
  const before = finished().report!;
  // check-00 passed before and fails now; check-02 failed before and passes now.
  const now = results.map((r) =>
    r.id === 'check-00' ? { ...r, status: 'fail' as const } : r.id === 'check-02' ? { ...r, status: 'pass' as const } : r,
  );
  const since = { before, against: 'before.json', forced: null };

  it('marks each changed check as it finishes and heads the frame with the comparison', () => {
    let m = initialModel({ name: 'prisma-audit', version: '0.1.0' }, { root: '/', demo: false }, checks, since);
    m = applyEvent(m, { type: 'check-done', result: now[0]! });
    const running = layout(m, view(), { columns: 120, rows: 40 }, plain).lines;
    expect(running).toContain('Compared with before.json: 1 regression(s), 0 fixed, 0 configuration change(s)');
    expect(running.find((l) => l.includes('check-00'))).toMatch(/FAIL\s+check-00\s+\[was pass\] check-00 summary/);
    for (const r of now.slice(1)) m = applyEvent(m, { type: 'check-done', result: r });
    const done = layout(m, view(), { columns: 120, rows: 40 }, plain).lines;
    expect(done).toContain('Compared with before.json: 1 regression(s), 1 fixed, 0 configuration change(s)');
    expect(done.find((l) => l.includes('check-02'))).toMatch(/\[was fail\] check-02 summary/);
    // The selected row (the regression sorts first) says what changed in its details.
    expect(done).toContain('  REGRESSION since before.json: pass -> fail');
    // Unchanged checks carry no marker.
    expect(done.filter((l) => l.includes('[was '))).toHaveLength(2);
  });

  it('shows no comparison without --compare', () => {
    expect(layout(finished(), view(), { columns: 120, rows: 40 }, plain).lines.join('\n')).not.toMatch(/Compared with|\[was /);
  });
});

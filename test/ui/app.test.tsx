import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App.js';
import { createProgressStore } from '../../src/ui/run-pretty.js';
import type { CheckResult } from '../../src/model/report.js';

const result = (id: string, status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult => ({
  id,
  title: id,
  status,
  summary: `${id} summary`,
  evidence: [{ message: `${id} evidence`, file: '/etc/kubernetes/manifests/kube-apiserver.yaml', line: 12 }],
  remediation: status === 'pass' ? null : { text: `${id} remedy`, commands: ['mv a b'], fix: 'manifest-patch' },
  durationMs: 1,
  ...extra,
});

const base = { header: ['prisma-audit 0.1.0 doctor · kubeadm'], demo: false, verbose: false, frame: 0 };
const tick = () => new Promise((r) => setTimeout(r, 20));

describe('App', () => {
  it('shows running checks with a spinner, then results with evidence for failures', () => {
    const running = render(<App {...base} results={[]} running={[{ id: 'audit-files-mounted', title: 'audit files mounted' }]} summary={null} />);
    expect(running.lastFrame()).toMatch(/⠋\s+audit-files-mounted\s+audit files mounted…/);
    expect(running.lastFrame()).toMatch(/running 1 check/);
    running.unmount();

    const done = render(
      <App {...base} results={[result('apiserver-manifest', 'pass'), result('audit-files-mounted', 'fail')]} running={[]} summary={{ pass: 1, warn: 0, fail: 1, skip: 0, unknown: 0 }} />,
    );
    const frame = done.lastFrame()!;
    expect(frame).toMatch(/PASS\s+apiserver-manifest/);
    expect(frame).not.toContain('apiserver-manifest evidence');
    expect(frame).toContain('/etc/kubernetes/manifests/kube-apiserver.yaml:12: audit-files-mounted evidence');
    expect(frame).toContain('fix: audit-files-mounted remedy');
    expect(frame).toContain('$ prisma-audit fix --only manifest-patch');
    expect(frame).toContain('2 checks: 1 pass, 0 warn, 1 fail, 0 skip, 0 unknown');
    done.unmount();
  });

  it('labels the demo', () => {
    const r = render(<App {...base} demo results={[]} running={[]} summary={null} />);
    expect(r.lastFrame()).toContain('DEMO: checking the bundled demo node');
    r.unmount();
  });

  it('expands the selected check with enter and collapses a failure', async () => {
    const r = render(<App {...base} results={[result('apiserver-manifest', 'pass'), result('audit-files-mounted', 'fail')]} running={[]} summary={{ pass: 1, warn: 0, fail: 1, skip: 0, unknown: 0 }} />);
    await tick();
    r.stdin.write('\r');
    await tick();
    expect(r.lastFrame()).toContain('apiserver-manifest evidence');
    r.stdin.write('j');
    await tick();
    r.stdin.write('\r');
    await tick();
    expect(r.lastFrame()).not.toContain('audit-files-mounted evidence');
    r.unmount();
  });
});

describe('progress store', () => {
  it('moves checks from running to results in catalogue order and keeps the summary', () => {
    const store = createProgressStore(['a', 'b']);
    store.push({ type: 'check-start', id: 'a', title: 'A' });
    store.push({ type: 'check-start', id: 'b', title: 'B' });
    store.push({ type: 'check-done', result: result('b', 'warn') });
    expect(store.get().running.map((c) => c.id)).toEqual(['a']);
    store.push({ type: 'check-done', result: result('a', 'pass') });
    expect(store.get().results.map((r) => r.id)).toEqual(['a', 'b']);
    expect(store.get().summary).toBeNull();
  });
});

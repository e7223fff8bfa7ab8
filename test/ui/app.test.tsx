// The ink App: paints the layout it is fed and turns keys into selection, fixes, bundle and quit.
import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { CheckResult, Report } from '../../src/model/report.js';
import { loadUnicodeCells } from '../../src/report/cells.js';
import { makeStyle } from '../../src/report/style.js';
import { App, type AppProps } from '../../src/ui/App.js';
import { applyEvent, initialModel } from '../../src/ui/model.js';

// The UI is mounted with the Unicode measures loaded (ui/run-pretty.tsx loads them first).
beforeAll(loadUnicodeCells);

const result = (id: string, fix: string | null): CheckResult => ({
  id,
  title: id,
  status: 'fail',
  summary: `${id} is broken`,
  evidence: [],
  remediation: { text: 'do it', commands: [], fix },
  durationMs: 1,
});
const tick = () => new Promise((r) => setTimeout(r, 50));

function doneStore(results: CheckResult[]) {
  let m = initialModel(
    { name: 'prisma-audit', version: '0.1.0' },
    { root: '/', demo: true },
    results.map((r) => ({ id: r.id, title: r.title, needs: [] })),
  );
  const report: Report = {
    schemaVersion: 1,
    tool: m.tool,
    target: { root: '/', manifest: null, distribution: 'kubeadm', kubernetesVersion: null, demo: true, offline: false },
    checks: results,
    summary: { pass: 0, warn: 0, fail: results.length, skip: 0, unknown: 0 },
  };
  m = applyEvent(m, { type: 'done', report });
  return { get: () => m, subscribe: () => () => {} };
}

const props = (over: Partial<AppProps> = {}): AppProps => ({
  store: doneStore([result('audit-webhook-mode', 'manifest-patch'), result('webhook-url', null)]),
  style: makeStyle(false),
  onQuit: () => {},
  size: { columns: 100, rows: 30 },
  ...over,
});

describe('App', () => {
  it("labels the demo and shows the selected check's details", () => {
    const r = render(<App {...props()} />);
    expect(r.lastFrame()).toContain('DEMO: checking the bundled demo node');
    expect(r.lastFrame()).toContain('$ prisma-audit fix --only manifest-patch');
    r.unmount();
  });

  it("f plans the selected check's fix, d shows the diff, F plans every fix", async () => {
    const onFix = vi.fn(async () => ({ lines: ['manifest-patch  PLANNED'], diff: ['+    - --audit-webhook-mode=batch'] }));
    const r = render(<App {...props({ onFix })} />);
    await tick();
    r.stdin.write('f');
    await tick();
    expect(onFix).toHaveBeenLastCalledWith('manifest-patch');
    expect(r.lastFrame()).toContain('manifest-patch  PLANNED');
    expect(r.lastFrame()).not.toContain('--audit-webhook-mode=batch');
    r.stdin.write('d');
    await tick();
    expect(r.lastFrame()).toContain('+    - --audit-webhook-mode=batch');
    r.stdin.write('F');
    await tick();
    expect(onFix).toHaveBeenLastCalledWith(null);
    r.unmount();
  });

  it('says when the selected check names no fix', async () => {
    const r = render(<App {...props({ onFix: vi.fn(async () => ({ lines: [], diff: [] })) })} />);
    await tick();
    r.stdin.write('j');
    r.stdin.write('f');
    await tick();
    expect(r.lastFrame()).toContain('webhook-url names no fix');
    r.unmount();
  });

  it('b writes a bundle through the callback and shows where it went', async () => {
    const writeBundle = vi.fn(async () => '/tmp/x.tar.gz');
    const r = render(<App {...props({ writeBundle })} />);
    await tick();
    r.stdin.write('b');
    await tick();
    expect(writeBundle).toHaveBeenCalledTimes(1);
    expect(r.lastFrame()).toContain('support bundle written: /tmp/x.tar.gz');
    r.unmount();
  });

  it('q quits, Ctrl-C interrupts, and the live region is emptied', async () => {
    for (const [key, how] of [
      ['q', 'quit'],
      ['\u0003', 'interrupt'],
    ] as const) {
      const onQuit = vi.fn();
      const r = render(<App {...props({ onQuit })} />);
      await tick();
      r.stdin.write(key);
      await tick();
      expect(onQuit).toHaveBeenCalledWith(how);
      expect(r.lastFrame()).toBe('');
      r.unmount();
    }
  });
});

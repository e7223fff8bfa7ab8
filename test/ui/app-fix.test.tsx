import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { CheckResult } from '../../src/model/report.js';
import { App, type FixPreview } from '../../src/ui/App.js';

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

describe('App fix keys', () => {
  it('f plans the selected check\'s fix, F every fix, d shows the diff', async () => {
    const preview: FixPreview = { lines: ['manifest-patch  PLANNED'], diff: ['+    - --audit-webhook-mode=batch'] };
    const onFix = vi.fn(async () => preview);
    const app = render(
      <App header={['h']} demo={false} results={[result('audit-webhook-mode', 'manifest-patch'), result('webhook-url', 'webhook-kubeconfig')]} running={[]} summary={{ pass: 0, warn: 0, fail: 2, skip: 0, unknown: 0 }} verbose={false} frame={0} onFix={onFix} />,
    );
    await tick();
    app.stdin.write('f');
    await tick();
    expect(onFix).toHaveBeenLastCalledWith('manifest-patch');
    expect(app.lastFrame()).toContain('manifest-patch  PLANNED');
    expect(app.lastFrame()).not.toContain('--audit-webhook-mode=batch');
    app.stdin.write('d');
    await tick();
    expect(app.lastFrame()).toContain('+    - --audit-webhook-mode=batch');
    app.stdin.write('F');
    await tick();
    expect(onFix).toHaveBeenLastCalledWith(null);
    app.unmount();
  });
});

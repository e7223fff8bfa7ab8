import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import type { CheckResult } from '../../src/model/report.js';
import { App, type AppProps } from '../../src/ui/App.js';

const result: CheckResult = { id: 'webhook-url', title: 'webhook URL', status: 'fail', summary: 'bad URL', evidence: [], remediation: null, durationMs: 1 };
const props = (over: Partial<AppProps>): AppProps => ({ header: ['prisma-audit'], demo: false, results: [result], running: [], summary: { pass: 0, warn: 0, fail: 1, skip: 0, unknown: 0 }, verbose: false, frame: 0, ...over });
const tick = () => new Promise((r) => setTimeout(r, 20));

describe('App bundle key', () => {
  it('calls the bundle callback on b and shows the status it is given', async () => {
    const write = vi.fn();
    const ui = render(<App {...props({ bundle: { write, status: null } })} />);
    await tick();
    expect(ui.lastFrame()).toContain('b write support bundle');
    ui.stdin.write('b');
    await tick();
    expect(write).toHaveBeenCalledTimes(1);
    ui.rerender(<App {...props({ bundle: { write, status: 'support bundle written: /tmp/x.tar.gz' } })} />);
    expect(ui.lastFrame()).toContain('support bundle written: /tmp/x.tar.gz');
    ui.unmount();
  });

  it('offers no bundle key without a callback, nor before the checks are done', async () => {
    const write = vi.fn();
    const without = render(<App {...props({})} />);
    await tick();
    expect(without.lastFrame()).not.toContain('support bundle');
    without.unmount();
    const running = render(<App {...props({ summary: null, bundle: { write, status: null } })} />);
    await tick();
    running.stdin.write('b');
    await tick();
    expect(write).not.toHaveBeenCalled();
    running.unmount();
  });
});

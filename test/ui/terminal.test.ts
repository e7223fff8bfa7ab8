// The doctor's UI as a user meets it: the built CLI in a real 80x24 pseudo-terminal.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, scenarioRoot } from '../helpers/cli.js';
import { copyRoot, hashTree, removeTempDirs } from '../helpers/node-root.js';
import { stalledWebhook, type Stall } from '../helpers/silent-server.js';
import { KEY, runInTerminal } from '../helpers/terminal.js';

afterAll(removeTempDirs);
const SIZE = { columns: 80, rows: 24 };
const ERASE_SCROLLBACK = '\u001b[3J';
/** PRISMA_AUDIT_DEBUG_EXIT's line when a socket or a child process still held the process. */
const LEFT_OPEN = /exit forced; still open: .*(TCPSocketWrap|TLSWrap|ProcessWrap|PipeWrap)/;
const done = (s: string) => /\d+ checks: \d+ pass/.test(s);

describe('doctor in an 80x24 terminal', () => {
  const broken = scenarioRoot('kubeadm-broken');
  const expected = JSON.parse(readFileSync(path.join(REPO, 'fixtures/scenarios/kubeadm-broken/expected.json'), 'utf8')) as {
    checks: Record<string, string>;
  };
  const failing = Object.entries(expected.checks)
    .filter(([, s]) => s === 'fail')
    .map(([id]) => id);

  it('shows every failing check on the first screen, keeps the selection visible, and q leaves the report', async () => {
    const t = runInTerminal(['doctor', '--root', broken, '--offline'], SIZE);
    await t.waitFor(done);
    const first = t.screen().join('\n');
    expect(failing.length).toBeGreaterThan(2);
    for (const id of failing) expect(first).toMatch(new RegExp(`FAIL\\s+${id}\\b`));
    for (let i = 0; i < 20; i++) t.press(KEY.down);
    await t.waitFor((s) => /^›SKIP/m.test(s));
    expect(t.screen().filter((l) => l.startsWith('›'))).toHaveLength(1);
    t.press('q');
    const { code } = await t.exited;
    expect(code).toBe(3);
    expect(t.raw()).not.toContain(ERASE_SCROLLBACK);
    // The report stays in the terminal once, as text, ending with the verdict.
    expect(t.raw().match(/4 checks fail — `prisma-audit fix` writes corrected files \(exit 3\)/g)).toHaveLength(1);
    expect(t.screen().join('\n')).toContain('4 checks fail');
  }, 120_000);

  it('npm run demo: the first frame does not wait for the demo console, the live checks do', async () => {
    const t = runInTerminal(['doctor', '--demo'], SIZE);
    await t.waitFor(done);
    t.press('q');
    expect((await t.exited).code).toBe(3);
    // The console's chain is made while the frame is painted; the probe still finds it listening.
    const report = t.raw().replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    expect(report).toMatch(/PASS\s+webhook-reachable\s+POST https:\/\/127\.0\.0\.1:18083\//);
    expect(report).toMatch(/FAIL\s+webhook-tls-chain\s/);
  }, 120_000);

  it('draws the report in a pty that reports 0x0 (as 80x24), where ink once painted blank frames forever', async () => {
    const t = runInTerminal(['doctor', '--root', broken, '--offline'], { columns: 0, rows: 0 });
    await t.waitFor(done, 30_000);
    for (const id of failing) expect(t.screen().join('\n')).toMatch(new RegExp(`FAIL\\s+${id}\\b`));
    t.press('q');
    expect((await t.exited).code).toBe(3);
  }, 60_000);

  // Before ink has loaded, Ctrl-C is a SIGINT (the terminal is not in raw mode yet); after, a key.
  const firstFrame = (s: string) => s.includes('Ctrl-C abort');
  const inkUp = (s: string) => /^[⠙⠹⠸⠼⠴⠦⠧⠇⠏] \d+ of \d+ checks done/m.test(s);

  /** Presses `key` once `ready` holds for the screen of a doctor run that waits on a silent webhook
   * (--timeout 30); the milliseconds are from the key press to the process's exit. */
  async function pressWhileProbing(stall: Stall, ready: (s: string) => boolean, key: string) {
    const { root, server } = await stalledWebhook(stall);
    try {
      const t = runInTerminal(['doctor', '--root', root, '--timeout', '30'], SIZE, { PRISMA_AUDIT_DEBUG_EXIT: '1' });
      await server.spoken;
      await t.waitFor(ready);
      const pressed = performance.now();
      t.press(key);
      const { code, at } = await t.exited;
      expect(t.raw()).not.toContain(ERASE_SCROLLBACK);
      // The cancel closed the probe's socket (and any child): the process did not wait on them.
      expect(t.raw()).not.toMatch(LEFT_OPEN);
      return { t, code, ms: at - pressed };
    } finally {
      server.close();
    }
  }

  it.each([
    ['on the first frame', 'handshake', firstFrame],
    ['once the UI runs', 'handshake', inkUp],
    ['once the UI runs, the POST unanswered', 'post', inkUp],
  ] as const)(
    'Ctrl-C during a slow webhook probe exits 130 at once (%s)',
    async (_when, stall, ready) => {
      const { code, ms } = await pressWhileProbing(stall, ready, KEY.ctrlC);
      expect(code).toBe(130);
      expect(ms).toBeLessThan(500);
    },
    120_000,
  );

  it.each([
    ['q', 'q'],
    ['Esc', KEY.esc],
  ])(
    '%s during a slow webhook probe leaves the report of what finished, at once, with its exit code',
    async (_name, key) => {
      const { t, code, ms } = await pressWhileProbing('handshake', inkUp, key);
      expect(code).not.toBe(130);
      expect(t.raw()).toContain(`(exit ${code})`);
      expect(ms).toBeLessThan(500);
    },
    120_000,
  );
});

describe('Ctrl-C as ink takes over from the first frame', () => {
  // ink's first frame has a clock past 0.0s (the CLI's own first frame says 0.0s).
  const inkFirstFrame = (raw: string) => /checks done · (0\.[1-9]|[1-9]\d*\.\d)s/.test(raw);

  it('leaves no frame behind, only the line that says so', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const t = runInTerminal(['doctor', '--root', scenarioRoot('kubeadm-broken'), '--offline'], SIZE);
      const until = Date.now() + 30_000;
      while (!inkFirstFrame(t.raw()) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      t.press(KEY.ctrlC);
      expect((await t.exited).code).toBe(130);
      await t.waitFor((s) => s.includes('interrupted'));
      // Once, a throttled ink render came back after the erase, drawn over the lines above it.
      const screen = t.screen().filter((l) => l.trim() !== '');
      expect(screen).toEqual(['prisma-audit: interrupted; nothing was changed (run again for the report)']);
    }
  }, 120_000);
});

describe('fix --apply in a terminal', () => {
  it('Ctrl-C at the [y/N] prompt changes nothing and exits 130 at once', async () => {
    const root = await copyRoot('fixtures/scenarios/kubeadm-broken/root');
    const before = await hashTree(root);
    const t = runInTerminal(['fix', '--root', root, '--apply', '--offline'], SIZE);
    await t.waitFor((s) => /\[y\/N\] *$/m.test(s));
    const pressed = performance.now();
    t.press(KEY.ctrlC);
    const { code, at } = await t.exited;
    expect(code).toBe(130);
    expect(at - pressed).toBeLessThan(500);
    expect(t.raw()).toContain('nothing was changed');
    expect(await hashTree(root)).toEqual(before);
  }, 120_000);
});

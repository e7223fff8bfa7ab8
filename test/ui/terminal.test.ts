// The doctor's UI as a user meets it: the built CLI in a real 80x24 pseudo-terminal.
import { promises as fs, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, scenarioRoot } from '../helpers/cli.js';
import { copyRoot, removeTempDirs } from '../helpers/node-root.js';
import { KEY, runInTerminal } from '../helpers/terminal.js';

afterAll(removeTempDirs);
const SIZE = { columns: 80, rows: 24 };
const ERASE_SCROLLBACK = '\u001b[3J';
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

  it('draws the report in a pty that reports 0x0 (as 80x24), where ink once painted blank frames forever', async () => {
    const t = runInTerminal(['doctor', '--root', broken, '--offline'], { columns: 0, rows: 0 });
    await t.waitFor(done, 30_000);
    for (const id of failing) expect(t.screen().join('\n')).toMatch(new RegExp(`FAIL\\s+${id}\\b`));
    t.press('q');
    expect((await t.exited).code).toBe(3);
  }, 60_000);

  // Before ink has loaded, Ctrl-C is a SIGINT (the terminal is not in raw mode yet); after, a key.
  const inkUp = (s: string) => /^[⠙⠹⠸⠼⠴⠦⠧⠇⠏] \d+ of \d+ checks done/m.test(s);
  it.each([
    ['on the first frame', (s: string) => s.includes('Ctrl-C abort')],
    ['once the UI runs', inkUp],
  ])(
    'Ctrl-C during a slow webhook probe exits 130 at once (%s)',
    async (_when, ready) => {
      // A console that accepts the connection and never answers the TLS handshake.
      const sockets: net.Socket[] = [];
      let connected: () => void = () => {};
      const probed = new Promise<void>((resolve) => (connected = resolve));
      const server = net.createServer((s) => {
        sockets.push(s);
        connected();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as net.AddressInfo).port;
      const root = await copyRoot('fixtures/scenarios/kubeadm-healthy/root');
      const kubeconfig = path.join(root, 'etc/kubernetes/audit/audit-webhook.yaml');
      await fs.writeFile(kubeconfig, (await fs.readFile(kubeconfig, 'utf8')).replace('127.0.0.1:18084', `127.0.0.1:${port}`));
      try {
        const t = runInTerminal(['doctor', '--root', root, '--timeout', '30'], SIZE);
        await probed;
        await t.waitFor(ready);
        const pressed = performance.now();
        t.press(KEY.ctrlC);
        const { code, at } = await t.exited;
        expect(code).toBe(130);
        expect(at - pressed).toBeLessThan(500);
        expect(t.raw()).not.toContain(ERASE_SCROLLBACK);
      } finally {
        sockets.forEach((s) => s.destroy());
        server.close();
      }
    },
    120_000,
  );
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, streamCommand } from '../../src/io/commands.js';
import { fakeBin } from '../helpers/fake-bin.js';

const bin = fakeBin();
let restore: () => void;
const LIMITS = { timeoutMs: 5000, maxBytes: 1024 * 1024 };

beforeAll(() => {
  bin.add('say', 'echo "out $*"; echo "err" >&2; exit 3');
  bin.add('hang', 'echo started; sleep 30');
  bin.add('flood', 'while :; do echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; done');
  bin.add('not-executable', 'echo never', 0o644);
  restore = bin.usePath();
});
afterAll(() => {
  restore();
  bin.remove();
});

describe('runCommand / streamCommand', () => {
  it('passes arguments without a shell and returns output and exit code', async () => {
    const run = await runCommand('say', ['a b', '$(id)', ';ls'], LIMITS);
    expect(run).toMatchObject({ status: 'ok', exitCode: 3, truncated: false });
    expect(run.value).toEqual({ stdout: 'out a b $(id) ;ls\n', stderr: 'err\n' });
  });

  it('reports a binary that is not on PATH as missing', async () => {
    const run = await runCommand('prisma-audit-no-such-tool', [], LIMITS);
    expect(run.status).toBe('missing');
    expect(run.value).toBeNull();
  });

  it('reports a file without execute permission as denied', async () => {
    expect((await runCommand(`${bin.dir}/not-executable`, [], LIMITS)).status).toBe('denied');
  });

  it('kills a command at its deadline, with its children, and keeps what it printed', async () => {
    const started = performance.now();
    const run = await runCommand('hang', [], { timeoutMs: 300, maxBytes: 1024 });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(run.status).toBe('timeout');
    expect(run.value?.stdout).toBe('started\n');
  });

  it('kills a command, with its children, when the run is cancelled', async () => {
    const cancel = new AbortController();
    const started = performance.now();
    const running = runCommand('hang', [], { timeoutMs: 30_000, maxBytes: 1024, signal: cancel.signal });
    setTimeout(() => cancel.abort(), 200);
    const run = await running;
    expect(performance.now() - started).toBeLessThan(5000);
    expect(run.value?.stdout).toBe('started\n');
  });

  it('stops reading at the output cap', async () => {
    const run = await streamCommand('flood', [], { timeoutMs: 5000, maxBytes: 100_000 }, async ({ stdout, stderr }) => {
      let bytes = 0;
      for await (const chunk of stdout) bytes += chunk.length;
      for await (const chunk of stderr) bytes += chunk.length;
      return bytes;
    });
    expect(run.truncated).toBe(true);
    expect(run.value).toBe(100_000);
  });
});

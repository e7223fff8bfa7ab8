// The test helper that runs the CLI: a child that exits before reading its stdin closes the pipe,
// and the write must not fail the test with EPIPE (it did, now and then, in unrelated tests).
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('runCli', () => {
  it('resolves with the exit code when the CLI never reads the input it was given', async () => {
    // Larger than a pipe buffer: the write is still pending when --version exits.
    const r = await runCli(['--version'], { input: 'x'.repeat(8 << 20) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^prisma-audit /);
  });
});

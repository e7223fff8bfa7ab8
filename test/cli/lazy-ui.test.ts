// json and text modes must not load ink or react, nor the fix, bundle or cluster libraries, nor the
// Unicode width libraries (about 90 ms to load; text to a pipe is never measured): start-up time is a
// feature.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, runCli, scenarioRoot } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'pa-trace-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(['json', 'text', 'junit'])('--output %s', (mode) => {
  it('loads neither ink, react, diff, tar-stream, client-node nor the width libraries', async () => {
    const trace = path.join(tmp, `${mode}.txt`);
    const r = await runCli(['doctor', '--root', scenarioRoot('kubeadm-healthy'), '--output', mode, '--offline'], {
      env: { TRACE_IMPORTS_FILE: trace, NODE_OPTIONS: `--import ${path.join(REPO, 'test/helpers/trace-imports.mjs')}` },
    });
    expect(r.code).toBe(0);
    const loaded = readFileSync(trace, 'utf8');
    expect(loaded).toContain('/dist/cli.js');
    expect(loaded).not.toMatch(/node_modules\/(ink|react|diff|tar-stream|@kubernetes)\//);
    expect(loaded).not.toMatch(/(string-width|cli-truncate|wrap-ansi)[-/]/);
  });
});

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeControl, terminalSafe } from '../../src/report/terminal-safe.js';
import { REPO, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'prisma-audit-term-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('escapeControl', () => {
  it('shows control characters, C1 CSI and bidi overrides escaped, keeps tabs, newlines and text', () => {
    expect(escapeControl('a\x1b]0;pwned\x07b\x9b2Jc\u202ed\te\nf é')).toBe('a\\x1b]0;pwned\\x07b\\x9b2Jc\\u202ed\te\nf é');
  });

  it('escapes every string and key of a nested value', () => {
    expect(terminalSafe({ 'k\x1b': ['x\x1by', { z: '\x00' }], n: 1 })).toEqual({ 'k\\x1b': ['x\\x1by', { z: '\\x00' }], n: 1 });
  });
});

it('doctor text output carries no raw escape from a file on the node', async () => {
  const root = path.join(tmp, 'root');
  cpSync(path.join(REPO, 'fixtures/scenarios/kubeadm-healthy/root'), root, { recursive: true });
  const webhook = path.join(root, 'etc/kubernetes/audit/audit-webhook.yaml');
  // A server URL with an OSC title sequence and a screen clear: webhook-url quotes the URL.
  writeFileSync(
    webhook,
    readFileSync(webhook, 'utf8').replace('https://127.0.0.1:18084/', 'https://127.0.0.1:18084/\x1b]0;pwned\x07\x1b[2J'),
  );
  const r = await runCli(['doctor', '--root', root, '--offline', '--output', 'text', '--verbose']);
  expect(r.stdout).toContain('\\x1b');
  expect(r.stdout + r.stderr).not.toContain('\x1b');
});

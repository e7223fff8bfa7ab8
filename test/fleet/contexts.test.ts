// --contexts: every named cluster in one report, a cluster that cannot be reached said as such,
// through the real CLI process and a real kubeconfig file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('fleet --contexts', () => {
  let dir: string;
  let kubeconfig: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prisma-fleet-contexts-'));
    kubeconfig = join(dir, 'kubeconfig');
    // Port 1 on loopback: nothing listens, so each cluster is refused at once.
    await writeFile(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: a, cluster: {server: "https://127.0.0.1:1"}}, {name: b, cluster: {server: "https://127.0.0.1:1"}}]\n' +
        'users: [{name: u, user: {token: t}}]\ncontexts: [{name: east, context: {cluster: a, user: u}}, {name: west, context: {cluster: b, user: u}}]\ncurrent-context: east\n',
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs on all contexts and reports each cluster, with why none could be checked', async () => {
    const r = await runCli(['fleet', '--kubeconfig', kubeconfig, '--contexts', 'all', '--output', 'json', '--timeout', '2']);
    const report = JSON.parse(r.stdout);
    expect(report.clusters.map((c: any) => [c.context, c.problem])).toEqual([
      ['east', expect.stringContaining('list nodes: cannot reach the API server https://127.0.0.1:1')],
      ['west', expect.stringContaining('list nodes: cannot reach the API server https://127.0.0.1:1')],
    ]);
    expect(report.findings[0]).toMatchObject({ id: 'fleet-nodes-checked', status: 'unknown' });
    expect(r.code).toBe(0);
  });

  it('names an unknown context in the combined report, and refuses one as a usage error alone', async () => {
    const r = await runCli(['fleet', '--kubeconfig', kubeconfig, '--contexts', 'east,nowhere', '--output', 'json', '--timeout', '2']);
    expect(JSON.parse(r.stdout).clusters[1]).toMatchObject({
      context: 'nowhere',
      problem: expect.stringContaining('--context nowhere: no such context'),
    });
    const alone = await runCli(['fleet', '--kubeconfig', kubeconfig, '--context', 'nowhere']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('no such context');
  });

  it('doctor --all-nodes is fleet mode', async () => {
    const r = await runCli(['doctor', '--all-nodes', '--kubeconfig', kubeconfig, '--output', 'json', '--timeout', '2']);
    expect(JSON.parse(r.stdout).kind).toBe('fleet');
  });
});

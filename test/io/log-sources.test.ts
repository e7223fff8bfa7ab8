import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readCrictl, readJournal } from '../../src/io/log-sources.js';
import { countSignatures } from '../../src/logs/judge.js';
import { fakeBin } from '../helpers/fake-bin.js';
import { NOW, fixtureLogs } from '../helpers/log-formats.js';

const bin = fakeBin();
const OPTS = { now: NOW, deadline: Date.now() + 60_000 };
let restore = () => {};
afterEach(() => restore());
afterAll(() => bin.remove());

const KUBELET = `2026-11-27T07:01:00+0000 node1 kubelet[812]: E1127 07:01:00.000000     812 pod_workers.go:191] Error syncing pod 9f8e ("kube-apiserver-node1_kube-system(9f8e)"), skipping: failed to "StartContainer" for "kube-apiserver" with CrashLoopBackOff: "back-off 5m0s restarting failed container=kube-apiserver pod=kube-apiserver-node1_kube-system(9f8e)"`;

describe('readJournal', () => {
  it('runs journalctl with the documented arguments and scans its output', async () => {
    bin.add(
      'journalctl',
      `echo "$@" > "${bin.dir}/journal-args"; echo '-- Logs begin at Thu 2026-11-26 00:00:00 UTC. --'; echo '${KUBELET}'`,
    );
    restore = bin.usePath();
    const source = await readJournal('-24h', true, OPTS);
    expect(readFileSync(`${bin.dir}/journal-args`, 'utf8').trim()).toBe('-u kubelet --since -24h --no-pager -o short-iso');
    expect(source).toMatchObject({ kind: 'journal', state: 'used', format: 'journal-iso', reason: null });
    expect(countSignatures(source).get('apiserver-crashloop')).toMatchObject({ count: 1, last: Date.parse('2026-11-27T07:01:00Z') });
  });

  it('calls empty output for a non-root user "not permitted", never "no errors"', async () => {
    bin.add(
      'journalctl',
      `echo 'Hint: You are currently not seeing messages from other users and the system.' >&2; echo '-- No entries --'`,
    );
    restore = bin.usePath();
    expect(await readJournal('-24h', false, OPTS)).toMatchObject({ state: 'not-permitted', bytes: 0 });
    expect(await readJournal('-24h', true, OPTS)).toMatchObject({ state: 'used', reason: 'no kubelet entries since -24h' });
  });

  it('reports a missing journalctl as not available', async () => {
    const empty = fakeBin();
    restore = empty.usePath(true);
    expect(await readJournal('-24h', true, OPTS)).toMatchObject({
      state: 'not-available',
      reason: 'journalctl is not installed (not on PATH)',
    });
    empty.remove();
  });
});

describe('readCrictl', () => {
  const attempt0 = fixtureLogs().find((f) => f.name === 'policy-missing')!.lines;
  const ps = JSON.stringify({
    containers: [
      { id: 'aaa0', metadata: { name: 'kube-apiserver', attempt: 0 }, state: 'CONTAINER_EXITED', createdAt: '1795762535000000000' },
      { id: 'bbb1', metadata: { name: 'kube-apiserver', attempt: 1 }, state: 'CONTAINER_RUNNING', createdAt: '1795763400000000000' },
    ],
  });
  const logs0 = attempt0.map((l, i) => `2026-11-27T06:55:3${i}.000000000Z ${l}`).join('\\n');

  it('reads the newest containers, their exit code, and the logs of the current and previous attempts', async () => {
    bin.add(
      'crictl',
      `case "$1" in
  ps) echo '${ps}' ;;
  inspect) echo '{"status":{"state":"CONTAINER_EXITED","exitCode":1}}' ;;
  logs) if [ "$3" = aaa0 ]; then printf '${logs0}\\n' >&2; else echo '2026-11-27T07:10:00.000000000Z I1127 07:10:00.000000 1 server.go:182] Version: v1.20.2' >&2; fi ;;
esac`,
    );
    restore = bin.usePath();
    const { sources, container } = await readCrictl(OPTS);
    expect(container).toEqual({ id: 'bbb1', attempt: 1, state: 'Exited', exitCode: 1, createdAt: '2026-11-27T07:10:00.000Z' });
    expect(sources.map((s) => [s.name, s.state])).toEqual([
      ['crictl ps -a --name kube-apiserver -o json', 'used'],
      ['crictl logs --timestamps bbb1', 'used'],
      ['crictl logs --timestamps aaa0', 'used'],
    ]);
    const [, current, previous] = sources;
    expect(countSignatures(current!).size).toBe(0);
    expect(current!.starts).toEqual([{ at: '2026-11-27T07:10:00.000Z', evidence: 'crictl: kube-apiserver attempt 1 created' }]);
    expect(countSignatures(previous!).get('policy-file-missing')?.count).toBe(1);
  });

  it('reports crictl refused the runtime socket as not permitted', async () => {
    bin.add('crictl', `echo 'connect: permission denied' >&2; exit 1`);
    restore = bin.usePath();
    const { sources } = await readCrictl(OPTS);
    expect(sources.map((s) => s.state)).toEqual(['not-permitted']);
  });

  it('reports crictl that fails (no runtime socket) as not available', async () => {
    bin.add('crictl', `echo 'failed to connect: connection error' >&2; exit 1`);
    restore = bin.usePath();
    const { sources, container } = await readCrictl(OPTS);
    expect(container).toBeNull();
    expect(sources).toMatchObject([{ state: 'not-available', reason: 'crictl exited with status 1' }]);
  });
});

// Reading what Kubernetes says about fleet pods and nodes: pod status and events, pods/log answers,
// which nodes are control plane. Status shapes are those a 1.20 kubelet and apiserver write.
import { describe, expect, it } from 'vitest';
import { logReadProblem } from '../../src/facts/fleet/log-answer.js';
import { namespaceProblem } from '../../src/facts/fleet/namespace.js';
import { controlPlaneNodes } from '../../src/kube/fleet/nodes.js';
import { eventsOf, podState } from '../../src/kube/fleet/pod-status.js';
import { pod } from '../helpers/cluster-facts.js';

const where = { node: 'cp1', pod: 'prisma-audit-cp1-abc123-xyz12', namespace: 'prisma-audit' };
const events = (...e: [string, string][]) =>
  eventsOf(
    { items: e.map(([reason, message]) => ({ involvedObject: { kind: 'Pod', name: 'p' }, reason, message, type: 'Warning', count: 1 })) },
    'p',
  );

describe('podState', () => {
  it('a pod bound to a node without a kubelet: pending, never started', () => {
    expect(podState({ status: { phase: 'Pending' } }, [])).toEqual({ kind: 'pending', detail: null, started: false });
  });

  it('a finished doctor, whatever its exit code, is read', () => {
    const done = (code: number, phase: string) => ({
      status: { phase, containerStatuses: [{ state: { terminated: { exitCode: code, reason: code ? 'Error' : 'Completed' } } }] },
    });
    expect(podState(done(0, 'Succeeded'), [])).toEqual({ kind: 'finished', exitCode: 0 });
    expect(podState(done(3, 'Failed'), [])).toEqual({ kind: 'finished', exitCode: 3 });
  });

  it('the deadline ends the pod even while its container still shows running (no controller-manager)', () => {
    const s = podState(
      {
        status: {
          phase: 'Failed',
          reason: 'DeadlineExceeded',
          message: 'Pod was active on the node longer than the specified deadline',
          containerStatuses: [{ state: { running: {} } }],
        },
      },
      [],
    );
    expect(s).toEqual({
      kind: 'failed',
      category: 'deadline',
      reason: 'DeadlineExceeded: Pod was active on the node longer than the specified deadline',
    });
  });

  it('eviction, image pull, unschedulable and kubelet rejection each keep their words', () => {
    expect(
      podState({ status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' } }, []),
    ).toMatchObject({ category: 'evicted' });
    const pull = podState(
      {
        status: {
          phase: 'Pending',
          containerStatuses: [{ state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } } }],
        },
      },
      [],
    );
    expect(pull).toEqual({ kind: 'failed', category: 'image-pull', reason: 'ImagePullBackOff: Back-off pulling image "x"' });
    const unsched = podState(
      {
        status: {
          phase: 'Pending',
          conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' }],
        },
      },
      [],
    );
    expect(unsched).toMatchObject({ category: 'unschedulable', reason: 'Unschedulable: 0/3 nodes are available' });
    expect(
      podState({ status: { phase: 'Failed', reason: 'OutOfcpu', message: "Node didn't have enough resource: cpu" } }, []),
    ).toMatchObject({ category: 'rejected' });
  });

  it('a hostPath the node lacks is named, so the mount can be dropped', () => {
    const e = events([
      'FailedMount',
      'MountVolume.SetUp failed for volume "host-1" : hostPath type check failed: /etc/rancher/k3s is not a directory',
    ]);
    expect(podState({ status: { phase: 'Pending' } }, e)).toMatchObject({ kind: 'missing-mount', hostPath: '/etc/rancher/k3s' });
  });

  it('keeps the latest event as the detail of a pod still coming', () => {
    expect(podState({ status: { phase: 'Pending' } }, events(['Pulling', 'Pulling image "x"']))).toEqual({
      kind: 'pending',
      detail: 'Pulling: Pulling image "x"',
      started: true,
    });
  });
});

describe('logReadProblem', () => {
  it('401 on pods/log is the kubelet refusing the API server, not the user', () => {
    const m = logReadProblem(401, '{"kind":"Status","message":"Unauthorized"}', where);
    expect(m).toContain("relayed the kubelet's refusal");
    expect(m).toContain('This is not your kubeconfig');
  });
  it('500 connection refused is a kubelet that is down; 404 naming the node is a missing Node object', () => {
    expect(
      logReadProblem(
        500,
        '{"message":"Get \\"https://127.0.0.1:10250/containerLogs/x\\": dial tcp 127.0.0.1:10250: connect: connection refused"}',
        where,
      ),
    ).toContain('kubelet on cp1 is not answering');
    expect(logReadProblem(404, '{"message":"pods \\"cp1\\" not found"}', where)).toContain('node cp1 has no Node object');
    expect(logReadProblem(404, `{"message":"pods \\"${where.pod}\\" not found"}`, where)).toContain('was deleted');
    expect(
      logReadProblem(403, '{"message":"pods \\"x\\" is forbidden: User \\"u\\" cannot get resource \\"pods/log\\""}', where),
    ).toContain('grant "get" on "pods/log"');
  });
});

describe('controlPlaneNodes', () => {
  const nodes = {
    items: [
      {
        metadata: { name: 'cp1', labels: { 'node-role.kubernetes.io/control-plane': '' } },
        spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      },
      { metadata: { name: 'k3s-1', labels: { 'node-role.kubernetes.io/master': 'true' } } },
      { metadata: { name: 'worker', labels: {} } },
      { metadata: { name: 'cp2', labels: {} } },
    ],
  };
  it('takes labelled nodes and nodes running an apiserver pod, and says why', () => {
    const found = controlPlaneNodes(nodes, [pod('cp1'), pod('cp2'), pod('gone')]);
    expect(found.map((n) => [n.name, n.why, n.hasNodeObject])).toEqual([
      ['cp1', ['runs kube-apiserver pod kube-apiserver-cp1', 'labelled node-role.kubernetes.io/control-plane'], true],
      ['cp2', ['runs kube-apiserver pod kube-apiserver-cp2'], true],
      ['gone', ['runs kube-apiserver pod kube-apiserver-gone'], false],
      ['k3s-1', ['labelled node-role.kubernetes.io/master'], true],
    ]);
    expect(found[0]).toMatchObject({
      ready: 'True',
      taints: [{ key: 'node-role.kubernetes.io/control-plane', value: null, effect: 'NoSchedule' }],
    });
  });
});

describe('namespaceProblem', () => {
  it('refuses a restricted or baseline namespace with the remedy, and a terminating one', () => {
    const restricted = namespaceProblem({ metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } }, 'prisma-audit');
    expect(restricted).toContain('kubectl label namespace prisma-audit pod-security.kubernetes.io/enforce=privileged --overwrite');
    expect(namespaceProblem({ metadata: {}, status: { phase: 'Terminating' } }, 'x')).toContain('being deleted');
    expect(namespaceProblem({ metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } }, 'x')).toBeNull();
  });
});

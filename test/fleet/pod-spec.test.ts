// The fleet pod and its mounts, derived from what the API shows of the node's apiserver.
import { describe, expect, it } from 'vitest';
import { readApiserverPod } from '../../src/kube/pods.js';
import { planMounts } from '../../src/kube/fleet/mounts.js';
import { buildPod, podName, tolerationsFor } from '../../src/kube/fleet/pod-spec.js';
import type { ControlPlaneNode } from '../../src/model/fleet.js';
import { manifestAsPod, pod } from '../helpers/cluster-facts.js';

const node: ControlPlaneNode = {
  name: 'cp1',
  why: ['runs kube-apiserver pod kube-apiserver-cp1'],
  taints: [
    { key: 'node-role.kubernetes.io/master', value: null, effect: 'NoSchedule' },
    { key: 'dedicated', value: 'control', effect: 'NoExecute' },
  ],
  ready: 'True',
  hasNodeObject: true,
};

const apiserverOf = (file: string) => readApiserverPod(manifestAsPod(file, 'cp1'));

describe('planMounts', () => {
  it('mounts the manifests, the kubelet config, each narrow apiserver hostPath and the log directories of a kubeadm node', () => {
    const plan = planMounts(apiserverOf('kubeadm-manifests/cks-prep-inline-comments.yaml'));
    expect(plan.mounts.map((m) => `${m.type} ${m.hostPath}`)).toEqual([
      'Directory /etc/ca-certificates',
      'Directory /etc/kubernetes/audit',
      'Directory /etc/kubernetes/manifests',
      'Directory /etc/kubernetes/pki',
      'Directory /etc/pki',
      'Directory /etc/ssl/certs',
      'Directory /usr/local/share/ca-certificates',
      'Directory /usr/share/ca-certificates',
      'File /var/lib/kubelet/config.yaml',
      'Directory /var/log/containers',
      'Directory /var/log/pods',
    ]);
    expect(plan.mounts.some((m) => m.hostPath === '/')).toBe(false);
  });

  it('mounts a file on its own when its directory is too broad to mount (/etc/kubernetes, /var/log)', () => {
    const plan = planMounts(apiserverOf('kubeadm-manifests/cks-tasks-single-file-log-mount.yaml'));
    const shown = plan.mounts.map((m) => `${m.type} ${m.hostPath}`);
    expect(shown).toContain('File /etc/kubernetes/audit-policy.yaml');
    expect(shown).toContain('File /var/log/audit.log');
    expect(shown).not.toContain('Directory /etc/kubernetes');
    expect(shown).not.toContain('Directory /var/log');
  });

  it('never mounts a broad or kernel hostPath of the apiserver whole, and says why', () => {
    const api = pod('cp1');
    api.config!.volumes.push(
      { name: 'etc', hostPath: '/etc', hostPathType: 'Directory', otherKind: null, line: null },
      { name: 'root', hostPath: '/', hostPathType: '', otherKind: null, line: null },
      { name: 'proc', hostPath: '/proc/sys', hostPathType: '', otherKind: null, line: null },
    );
    const plan = planMounts(api);
    expect(plan.mounts.map((m) => m.hostPath)).not.toEqual(expect.arrayContaining(['/', '/etc']));
    expect(plan.left.map((l) => l.hostPath)).toEqual(['/etc', '/', '/proc/sys']);
    expect(plan.left[0]!.reason).toContain('too broad');
    // The audit directory under it is still mounted on its own.
    expect(plan.mounts.map((m) => m.hostPath)).toContain('/etc/kubernetes/audit');
  });

  it('mounts every known configuration place on a node that shows no apiserver pod (k3s, MicroK8s)', () => {
    expect(planMounts(null).mounts.map((m) => m.hostPath)).toEqual([
      '/etc/kubernetes/manifests',
      '/etc/rancher/k3s',
      '/var/log/containers',
      '/var/log/pods',
      '/var/snap/microk8s/current/args',
    ]);
  });
});

describe('buildPod', () => {
  const mounts = planMounts(apiserverOf('kubeadm-manifests/cks-prep-inline-comments.yaml')).mounts;
  const built = buildPod(node, mounts, {
    namespace: 'prisma-audit',
    image: 'reg/prisma-audit:1',
    runId: 'abcde',
    deadlineSeconds: 90,
    doctorArgs: ['--offline'],
  }) as any;

  it('pins the node, tolerates its taints, uses the host network and a deadline, never restarts', () => {
    expect(built.spec).toMatchObject({
      nodeName: 'cp1',
      hostNetwork: true,
      dnsPolicy: 'Default',
      restartPolicy: 'Never',
      activeDeadlineSeconds: 90,
      automountServiceAccountToken: false,
    });
    expect(built.spec.tolerations).toEqual([
      { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Equal', value: 'control', effect: 'NoExecute' },
    ]);
  });

  it('runs the doctor on /host with framed output, read-only everywhere, with DAC_READ_SEARCH only', () => {
    const [c] = built.spec.containers;
    expect(c.image).toBe('reg/prisma-audit:1');
    expect(c.args).toEqual(['doctor', '--root', '/host', '--output', 'json-framed', '--fleet-pod', '--offline']);
    expect(c.securityContext).toEqual({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'], add: ['DAC_READ_SEARCH'] },
    });
    expect(c.volumeMounts.every((m: any) => m.readOnly === true && m.mountPath.startsWith('/host/'))).toBe(true);
    expect(built.spec.volumes.map((v: any) => v.hostPath.path)).toEqual(mounts.map((m) => m.hostPath));
    expect(built.spec.volumes.every((v: any) => ['Directory', 'File'].includes(v.hostPath.type))).toBe(true);
  });

  it('names pods as DNS labels, unique even when long node names are cut', () => {
    const a = podName('ip-10-0-0-1.eu-west-1.compute.internal.with.a.long.suffix', 'abcde');
    const b = podName('ip-10-0-0-1.eu-west-1.compute.internal.with.a.long.other', 'abcde');
    expect(a).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
  });

  it('tolerates nothing extra on an untainted node', () => {
    expect(tolerationsFor({ ...node, taints: [] })).toEqual([]);
  });
});

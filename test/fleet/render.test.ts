// The fleet report in text and JUnit, and the GitOps manifests.
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fleetManifests } from '../../src/kube/fleet/manifests.js';
import { planMounts } from '../../src/kube/fleet/mounts.js';
import { buildFleetReport } from '../../src/engine/fleet-report.js';
import type { FleetNodeResult } from '../../src/model/fleet.js';
import type { Report } from '../../src/model/report.js';
import { renderFleetJunit } from '../../src/report/fleet-junit.js';
import { renderFleetText } from '../../src/report/fleet-text.js';
import { makeStyle } from '../../src/report/style.js';

const report = (fail: boolean): Report => ({
  schemaVersion: 1,
  tool: { name: 'prisma-audit', version: 't' },
  target: {
    root: '/host',
    manifest: '/etc/kubernetes/manifests/kube-apiserver.yaml',
    distribution: 'kubeadm',
    kubernetesVersion: '1.20.2',
    demo: false,
    offline: false,
  },
  checks: [
    {
      id: 'audit-webhook-flag',
      title: 'flag set',
      status: fail ? 'fail' : 'pass',
      summary: fail ? '--audit-webhook-config-file is not set' : 'set',
      evidence: [],
      remediation: null,
      durationMs: 3,
    },
  ],
  summary: { pass: fail ? 0 : 1, warn: 0, fail: fail ? 1 : 0, skip: 0, unknown: 0 },
});
const node = (name: string, r: Report | null): FleetNodeResult => ({
  cluster: null,
  node: name,
  pod: r ? `prisma-audit-${name}` : null,
  outcome: r ? 'checked' : 'unknown',
  reason: r ? null : 'pod never started: no kubelet acted on it within 30 s',
  evidence: [],
  mounted: [],
  notMounted: [],
  report: r,
  durationMs: 5,
});
const fleet = buildFleetReport(
  [node('cp1', report(false)), node('cp2', report(true)), node('cp3', null)],
  [{ context: null, server: 'https://10.0.0.1:6443', nodes: 3, problem: null }],
  { name: 'prisma-audit', version: 't' },
);

describe('fleet report', () => {
  it('sums every node and the fleet findings, and counts the nodes checked', () => {
    expect(fleet.summary).toEqual({ pass: 1, warn: 0, fail: 2, skip: 0, unknown: 1, nodes: 3, checked: 2 });
    expect(fleet.findings.map((f) => [f.id, f.status])).toEqual([
      ['fleet-nodes-checked', 'unknown'],
      ['fleet-consistent', 'fail'],
    ]);
  });

  it('renders the node x check matrix and each node in text', () => {
    const text = renderFleetText(fleet, makeStyle(false), false);
    expect(text).toMatch(/audit-webhook-flag\s+pass\s+FAIL\s+-/);
    expect(text).toContain('node cp3 · UNKNOWN pod never started');
    expect(text).toContain('FAIL    audit-webhook-flag       --audit-webhook-config-file is not set');
  });

  it('renders one JUnit suite per node, plus the fleet suite', () => {
    const xml = renderFleetJunit(fleet);
    expect(xml.match(/<testsuite /g)).toHaveLength(4);
    expect(xml).toContain('<testsuite name="prisma-audit node cp2" tests="1" failures="1" errors="0"');
    expect(xml).toContain('<testsuite name="prisma-audit node cp3" tests="1" failures="0" errors="1"');
  });
});

describe('fleetManifests', () => {
  it('prints the namespace, service account, minimal RBAC and one Job per node', () => {
    const yaml = fleetManifests(
      [{ node: { name: 'cp1', why: [], taints: [], ready: null, hasNodeObject: true }, mounts: planMounts(null).mounts }],
      { namespace: 'pa', image: 'img:1', deadlineSeconds: 60, doctorArgs: [] },
    );
    const docs = parseAllDocuments(yaml).map((d) => d.toJS());
    expect(docs.map((d) => d.kind)).toEqual([
      'Namespace',
      'ServiceAccount',
      'Role',
      'RoleBinding',
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding',
      'Job',
    ]);
    expect(docs[2].rules).toContainEqual({ apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'delete'] });
    expect(docs[4].rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }]);
    const job = docs[8];
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 60 });
    expect(job.spec.template.spec).toMatchObject({
      nodeName: 'cp1',
      hostNetwork: true,
      restartPolicy: 'Never',
      serviceAccountName: 'prisma-audit',
    });
    expect(job.spec.template.metadata.labels['prisma-audit.io/run']).toBe('manifests');
  });
});

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { manifestPatch } from '../../src/fixes/generators/manifest-patch.js';
import { isRefusal, type Artifact, type GatheredFacts, type WriteArtifact } from '../../src/fixes/types.js';
import { apiserverFact, factsOf, MANIFEST_PATH, parsedFact, pod } from '../helpers/fix-facts.js';

const POLICY = '--audit-policy-file=/etc/kubernetes/audit/audit-policy.yaml';
const WEBHOOK = '--audit-webhook-config-file=/etc/kubernetes/audit/audit-webhook.yaml';
const PLANNED = new Set(['/etc/kubernetes/audit/audit-policy.yaml', '/etc/kubernetes/audit/audit-webhook.yaml']);

function patched(facts: GatheredFacts, planned: ReadonlySet<string> = PLANNED): { manifest: string; artifacts: Artifact[] } {
  const result = manifestPatch(facts, planned);
  if (isRefusal(result)) throw new Error(result.reason);
  const manifest = result.find((a): a is WriteArtifact => a.kind === 'write' && a.hostPath === MANIFEST_PATH);
  return { manifest: manifest?.contents ?? '', artifacts: result };
}

const commandOf = (text: string): string[] => {
  const c = (parse(text) as { spec: { containers: { command?: string[]; args?: string[] }[] } }).spec.containers[0]!;
  return [...(c.command ?? []), ...(c.args ?? [])];
};

describe('manifest-patch', () => {
  it.each([
    [
      'a combined --feature-gates keeps its other gates',
      '--feature-gates=RotateKubeletServerCertificate=true,DynamicAuditing=true',
      '--feature-gates=RotateKubeletServerCertificate=true',
    ],
    ['a --feature-gates with only DynamicAuditing is dropped', '--feature-gates=DynamicAuditing=true', null],
    [
      'a combined --runtime-config keeps its other groups',
      '--runtime-config=api/all=true,auditregistration.k8s.io/v1alpha1=true',
      '--runtime-config=api/all=true',
    ],
    ['--audit-dynamic-configuration is dropped', '--audit-dynamic-configuration', null],
    ['an empty --runtime-config is not a leftover', '--runtime-config=', '--runtime-config='],
  ])('%s', (_name, flag, expected) => {
    const { manifest } = patched(factsOf(pod([POLICY, WEBHOOK, flag])));
    const command = commandOf(manifest);
    expect(command.filter((w) => w.startsWith(flag.split('=')[0]!))).toEqual(expected === null ? [] : [expected]);
  });

  it('fixes an invalid mode given as a separate item, in place', () => {
    const { manifest } = patched(factsOf(pod([POLICY, WEBHOOK, '--audit-webhook-mode', 'async'])));
    const command = commandOf(manifest);
    expect(command[command.indexOf('--audit-webhook-mode') + 1]).toBe('batch');
  });

  it('adds missing flags into args, in kubeadm order, and mounts the audit directory as type Directory', () => {
    const { manifest } = patched(factsOf(pod(['--advertise-address=10.0.0.1', '--tls-cert-file=/x'], { args: true })));
    const doc = parse(manifest) as {
      spec: {
        containers: { command: string[]; args: string[]; volumeMounts: { mountPath: string; readOnly?: boolean }[] }[];
        volumes: { name: string; hostPath: { path: string; type: string } }[];
      };
    };
    const c = doc.spec.containers[0]!;
    expect(c.command).toEqual(['kube-apiserver']);
    expect(c.args.indexOf(POLICY)).toBeGreaterThan(c.args.indexOf('--advertise-address=10.0.0.1'));
    expect(c.args.indexOf(WEBHOOK)).toBeLessThan(c.args.indexOf('--tls-cert-file=/x'));
    expect(doc.spec.volumes).toContainEqual({ name: 'audit', hostPath: { path: '/etc/kubernetes/audit', type: 'Directory' } });
    expect(doc.spec.volumes).toContainEqual({
      name: 'audit-log',
      hostPath: { path: '/var/log/kubernetes/audit', type: 'DirectoryOrCreate' },
    });
    expect(c.volumeMounts).toContainEqual({ mountPath: '/etc/kubernetes/audit', name: 'audit', readOnly: true });
  });

  it('does not point a flag at a file no fix will write', () => {
    const { manifest } = patched(factsOf(pod([POLICY])), new Set());
    expect(commandOf(manifest).some((w) => w.startsWith('--audit-webhook-config-file'))).toBe(false);
  });

  it('moves a file outside any mount into the audit directory, with a copy of its contents', () => {
    const text = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n';
    const facts = factsOf(pod(['--audit-policy-file=/etc/kubernetes/policy.yaml', WEBHOOK]), {
      policy: parsedFact(text, '/etc/kubernetes/policy.yaml'),
    });
    const { manifest, artifacts } = patched(facts, new Set(['/etc/kubernetes/audit/audit-webhook.yaml']));
    expect(commandOf(manifest)).toContain('--audit-policy-file=/etc/kubernetes/audit/policy.yaml');
    expect(artifacts).toContainEqual(expect.objectContaining({ hostPath: '/etc/kubernetes/audit/policy.yaml', contents: text }));
  });

  it('changes nothing on a manifest it already patched', () => {
    const { manifest } = patched(factsOf(pod(['--feature-gates=DynamicAuditing=true', '--audit-webhook-mode=async'])));
    expect(manifestPatch(factsOf(manifest), PLANNED)).toEqual([]);
  });

  it('writes a v1beta3 map or a v1beta4 list of extraArgs, by Kubernetes version', () => {
    const snippet = (image: string) =>
      (patched(factsOf(pod([], { image }))).artifacts.find((a) => a.kind === 'write' && a.durable) as WriteArtifact).contents;
    const v3 = parse(snippet('registry.k8s.io/kube-apiserver:v1.28.2')) as {
      apiVersion: string;
      apiServer: { extraArgs: Record<string, string>; extraVolumes: { pathType: string }[] };
    };
    expect(v3.apiVersion).toBe('kubeadm.k8s.io/v1beta3');
    expect(v3.apiServer.extraArgs['audit-policy-file']).toBe('/etc/kubernetes/audit/audit-policy.yaml');
    expect(v3.apiServer.extraVolumes.map((v) => v.pathType)).toEqual(['Directory', 'DirectoryOrCreate']);
    const v4 = parse(snippet('registry.k8s.io/kube-apiserver:v1.31.0')) as {
      apiVersion: string;
      apiServer: { extraArgs: { name: string; value: string }[] };
    };
    expect(v4.apiVersion).toBe('kubeadm.k8s.io/v1beta4');
    expect(v4.apiServer.extraArgs).toContainEqual({ name: 'audit-webhook-config-file', value: '/etc/kubernetes/audit/audit-webhook.yaml' });
  });

  it('gives RKE2 the config.yaml snippet with extra mounts too', () => {
    const facts = { apiserver: apiserverFact(pod([]), 'rke2', '/var/lib/rancher/rke2/agent/pod-manifests/kube-apiserver.yaml') };
    const snippet = patched(facts).artifacts.find((a) => a.kind === 'write' && a.durable) as WriteArtifact;
    expect(snippet.durable!.mergeInto).toBe('/etc/rancher/rke2/config.yaml');
    const cfg = parse(snippet.contents) as Record<string, string[]>;
    expect(cfg['kube-apiserver-arg']).toContain('audit-policy-file=/etc/kubernetes/audit/audit-policy.yaml');
    expect(cfg['kube-apiserver-extra-mount']).toContain('/etc/kubernetes/audit:/etc/kubernetes/audit:ro');
  });

  it.each([
    [
      'the kops /bin/sh -c single string',
      'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: kube-apiserver\n    command:\n    - /bin/sh\n    - -c\n    - /usr/local/bin/kube-apiserver --audit-webhook-mode=async 1>>/var/log/kube-apiserver.log 2>&1\n',
      /\/bin\/sh -c/,
    ],
    ['two apiserver-like containers', pod([], { extraContainer: true }), /2 containers look like kube-apiserver/],
  ])('refuses %s with manual steps', (_name, manifest, reason) => {
    const result = manifestPatch({ apiserver: apiserverFact(manifest, 'kops') }, PLANNED);
    expect(isRefusal(result) && result.reason).toMatch(reason);
    expect(isRefusal(result) && result.manualSteps.length).toBeGreaterThan(0);
  });
});

describe('manifest-patch on k3s', () => {
  const k3s = (flags: string[]) => ({
    ok: true as const,
    value: {
      ...(apiserverFact(pod([])) as { ok: true; value: import('../../src/model/node.js').ApiserverConfig }).value,
      distribution: 'k3s' as const,
      mode: 'host-process' as const,
      file: '/etc/rancher/k3s/config.yaml',
      flags: flags.map((f) => ({ name: f.split('=')[0]!, value: f.split('=')[1] ?? null, line: null, source: 'config' as const })),
    },
  });

  it('writes only the config.yaml snippet, and only with flags whose files will exist', () => {
    const result = manifestPatch(
      { apiserver: k3s(['audit-log-path=/var/log/a.log']) },
      new Set(['/etc/rancher/k3s/audit/audit-policy.yaml']),
    );
    expect(isRefusal(result)).toBe(false);
    const [snippet] = result as WriteArtifact[];
    expect(snippet!.durable!.mergeInto).toBe('/etc/rancher/k3s/config.yaml');
    expect((parse(snippet!.contents) as Record<string, string[]>)['kube-apiserver-arg']).toEqual([
      'audit-log-path=/var/log/a.log',
      'audit-policy-file=/etc/rancher/k3s/audit/audit-policy.yaml',
    ]);
  });
});

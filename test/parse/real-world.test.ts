// The parsers against configurations people actually committed (fixtures/real-world, SOURCES.md).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastFlag } from '../../src/parse/flags.js';
import { readApiserverContainer } from '../../src/parse/pod.js';
import { parseYaml } from '../../src/parse/yaml-file.js';
import { resolveKubeconfig } from '../../src/parse/kubeconfig.js';
import { readPolicy } from '../../src/parse/policy.js';
import { dynamicLeftovers } from '../../src/checks/rules.js';
import { FIXTURES } from '../helpers/cli.js';

const RW = path.join(FIXTURES, 'real-world');
const read = (p: string) => readFileSync(path.join(RW, p), 'utf8');
const container = (p: string) => {
  const parsed = parseYaml(read(p));
  expect(parsed.error).toBeNull();
  return readApiserverContainer(parsed.value, parsed.lines);
};
const flag = (p: string, name: string) => lastFlag(container(p).flags, name)?.value;

describe('real-world apiserver manifests', () => {
  it('parses every manifest without error', () => {
    for (const dir of ['kubeadm-manifests', 'kops-manifests']) {
      for (const f of readdirSync(path.join(RW, dir))) expect(container(`${dir}/${f}`).flags.length, f).toBeGreaterThan(5);
    }
  });

  it('strips trailing "# audit logging" comments from values (cks-prep)', () => {
    const c = container('kubeadm-manifests/cks-prep-inline-comments.yaml');
    for (const f of c.flags.filter((f) => f.name.startsWith('audit-'))) expect(f.value).not.toMatch(/#|\s$/);
    expect(c.mounts.every((m) => !/#/.test(m.mountPath))).toBe(true);
  });

  it('reads a value followed by trailing spaces as the value alone (kind)', () => {
    expect(flag('kubeadm-manifests/fluent-bit-trailing-space-kind.yaml', 'audit-log-format')).toBe('json');
    expect(flag('kubeadm-manifests/fluent-bit-trailing-space-kind.yaml', 'runtime-config')).toBe('');
  });

  it('finds the three dynamic-audit leftovers and keeps "-" as a log path (pspSketch)', () => {
    const c = container('kubeadm-manifests/pspsketch-dynamic-audit-stdout.yaml');
    expect(
      dynamicLeftovers(c.flags)
        .map((x) => x.flag)
        .sort(),
    ).toEqual(['audit-dynamic-configuration', 'feature-gates', 'runtime-config']);
    expect(lastFlag(c.flags, 'audit-log-path')?.value).toBe('-');
  });

  it('an empty --runtime-config is not a leftover (kind)', () => {
    expect(dynamicLeftovers(container('kubeadm-manifests/fluent-bit-trailing-space-kind.yaml').flags)).toEqual([]);
  });

  it('reads kops go-runner args after the binary only', () => {
    const c = container('kops-manifests/kops-golden-audit-go-runner.manifest');
    expect(c.binaryFound).toBe(true);
    expect(lastFlag(c.flags, 'log-file')).toBeUndefined();
    expect(lastFlag(c.flags, 'audit-webhook-config-file')?.value).toBe('/etc/kubernetes/audit/webhook-config.yaml');
    expect(c.volumes.find((v) => v.name === 'auditconfigdir')?.hostPath).toBe('/etc/kubernetes/audit');
  });

  it('keeps hostPath types and volumes listed name-first (SANS)', () => {
    const c = container('kubeadm-manifests/sans-policy-fileorcreate.yaml');
    expect(c.volumes.some((v) => v.hostPathType === 'FileOrCreate')).toBe(true);
  });
});

describe('real-world webhook kubeconfigs', () => {
  const kc = (f: string) => {
    const p = parseYaml(read(`webhook-kubeconfigs/${f}`));
    expect(p.error).toBeNull();
    return { parsed: p, kc: resolveKubeconfig(p.value) };
  };

  it('resolves every file to a server or names the problem', () => {
    for (const f of readdirSync(path.join(RW, 'webhook-kubeconfigs'))) {
      const { kc: r } = kc(f);
      expect(r.server !== null || r.problems.length > 0, f).toBe(true);
    }
  });

  it('drops the inline comment after the server (LFS260)', () => {
    expect(kc('lfs260-falco-inline-comment.kubeconfig').kc.server).not.toMatch(/#/);
  });

  it('tolerates a context user with no users section (wazuh), and notes insecure-skip-tls-verify', () => {
    const { kc: r } = kc('wazuh-insecure-undefined-user.yaml');
    expect(r.problems).toEqual([]);
    expect(r.insecureSkipTLSVerify).toBe(true);
    expect(r.server).toBe(r.server!.trim());
  });

  it('sees the "-apiVersion" typo as an unknown key and still resolves (lionelstellar)', () => {
    const { parsed, kc: r } = kc('lionelstellar-dash-apiversion.yaml');
    expect(Object.keys(parsed.value as object)).toContain('-apiVersion');
    expect(r.server).toMatch(/^http:/);
    expect(r.credentials).toEqual(['username', 'password']);
  });

  it('keeps the unrendered envsubst variable in the server (sysdig)', () => {
    expect(kc('sysdig-envsubst-template.yaml.in').kc.server).toContain('$AGENT_SERVICE_CLUSTERIP');
  });
});

describe('real-world policies', () => {
  const policy = (f: string, version: string | null = '1.28.0', at124: boolean | null = true) => {
    const p = parseYaml(read(`policies/${f}`));
    expect(p.error).toBeNull();
    return readPolicy(p.value, version, at124);
  };

  it('loads the valid ones', () => {
    for (const f of [
      'wazuh-4space-indent.yaml',
      'lfs260-minimal-metadata.yaml',
      'uds-stig-requestresponse-all.yaml',
      'whitehouse-rke2-commented-config.yaml',
      'harvester-omit-response-stages.yaml',
    ]) {
      expect(
        policy(f).problems.filter((p) => p.severity === 'fatal'),
        f,
      ).toEqual([]);
    }
  });

  it('refuses the v1beta1 policy on 1.24+, warns on an unknown version', () => {
    expect(policy('sysdig-v1beta1.yaml').problems.find((p) => p.field === 'apiVersion')?.severity).toBe('fatal');
    expect(policy('sysdig-v1beta1.yaml', null, null).problems.find((p) => p.field === 'apiVersion')?.severity).toBe('warn');
  });
});

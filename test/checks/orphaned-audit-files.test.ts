// orphaned-audit-files and the restore choice: pure, from fact literals.
import { describe, expect, it } from 'vitest';
import { orphanedAuditFiles } from '../../src/checks/orphaned-audit-files.js';
import { classifyAuditFile } from '../../src/facts/node/orphans.js';
import type { AuditOrphan } from '../../src/model/node.js';
import { answer, planRestore } from '../../src/fixes/restore.js';
import { apiserver, evaluate, ok } from '../helpers/facts.js';

const KUBECONFIG = (server: string) => `apiVersion: v1
kind: Config
clusters:
- name: a
  cluster: {server: "https://other.example:6443"}
- name: prisma
  cluster: {server: "${server}"}
contexts:
- name: w
  context: {cluster: prisma}
current-context: w
`;

const orphan = (hostPath: string, role: AuditOrphan['role'] = 'webhook-config', over: Partial<AuditOrphan> = {}): AuditOrphan => ({
  role,
  hostPath,
  foundBy: 'found in /etc/kubernetes/audit',
  detail:
    role === 'policy'
      ? 'audit policy audit.k8s.io/v1, 4 rule(s)'
      : 'webhook kubeconfig posting to console.example:8083 (Prisma webhook path)',
  sha256: hostPath,
  size: 10,
  referenced: false,
  copies: [],
  ...over,
});

describe('classifyAuditFile', () => {
  it('knows a policy by kind and group, and a webhook kubeconfig by its current context server path', () => {
    expect(classifyAuditFile('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n')?.role).toBe('policy');
    const kc = classifyAuditFile(KUBECONFIG('https://console.example:8083/api/v1/kubernetes/webhook/abc='));
    expect(kc?.role).toBe('webhook-config');
    // The host only: the suffix is a credential.
    expect(kc?.detail).toContain('console.example:8083');
    expect(kc?.detail).not.toContain('abc=');
  });

  it('ignores admin kubeconfigs, other receivers, other kinds and broken YAML', () => {
    expect(classifyAuditFile(KUBECONFIG('https://10.0.0.10:6443'))).toBeNull();
    expect(classifyAuditFile(KUBECONFIG('http://falco:8765/k8s-audit'))).toBeNull();
    expect(classifyAuditFile('apiVersion: v1\nkind: Pod\n')).toBeNull();
    expect(classifyAuditFile('kind: Policy\napiVersion: rbac/v1\n')).toBeNull();
    expect(classifyAuditFile('a: [')).toBeNull();
  });
});

describe('orphaned-audit-files', () => {
  const looked = ['/etc/kubernetes'];
  it('fails with the upgrade wording when the flags are gone and the files are here', () => {
    const f = evaluate(orphanedAuditFiles, {
      apiserver: ok(apiserver([])),
      auditOrphans: ok({ candidates: [orphan('/etc/kubernetes/audit/p.yaml', 'policy'), orphan('/etc/kubernetes/audit/w.yaml')], looked }),
    });
    expect(f.status).toBe('fail');
    expect(f.summary).toMatch(/^the audit flags are gone but the files are here: an upgrade or reconcile probably dropped them/);
    expect(f.remediation?.fix).toBe('manifest-patch');
    expect(f.evidence?.map((e) => e.file)).toContain('/etc/kubernetes/audit/w.yaml');
  });

  it('asks to choose when several files could be restored', () => {
    const f = evaluate(orphanedAuditFiles, {
      apiserver: ok(apiserver(['--audit-policy-file=/p.yaml'])),
      auditOrphans: ok({ candidates: [orphan('/a.yaml'), orphan('/b.yaml')], looked }),
    });
    expect(f.status).toBe('fail');
    expect(f.summary).toContain('--audit-webhook-config-file not set');
    expect(f.remediation?.text).toMatch(/2 webhook kubeconfigs were found: .*--use FILE/);
  });

  it('passes when the flags are set (unused copies are listed) or nothing is left to restore', () => {
    const set = evaluate(orphanedAuditFiles, {
      apiserver: ok(apiserver(['--audit-policy-file=/p', '--audit-webhook-config-file=/w'])),
      auditOrphans: ok({ candidates: [orphan('/old.yaml')], looked }),
    });
    expect(set.status).toBe('pass');
    expect(set.summary).toContain('1 other audit file(s) are not in use');
    const none = evaluate(orphanedAuditFiles, {
      apiserver: ok(apiserver([])),
      auditOrphans: ok({ candidates: [orphan('/in-use.yaml', 'policy', { referenced: true })], looked }),
    });
    expect(none.status).toBe('pass');
  });
});

describe('planRestore', () => {
  const api = apiserver([]);
  const orphans = { candidates: [orphan('/p.yaml', 'policy'), orphan('/a.yaml'), orphan('/b.yaml')], looked: [] };
  it('takes the only candidate, asks about several, and --use wins', () => {
    const { restore, questions } = planRestore(api, orphans, []);
    expect(restore.policy).toBe('/p.yaml');
    expect(restore.webhook).toBeNull();
    expect(questions.map((q) => q.candidates.length)).toEqual([2]);
    expect(answer(restore, questions[0]!, '/b.yaml').webhook).toBe('/b.yaml');
    expect(answer(restore, questions[0]!, null).ambiguous[0]).toMatch(
      /--audit-webhook-config-file: 2 webhook kubeconfigs could be restored: \/a.yaml .*\/b.yaml/,
    );
    expect(planRestore(api, orphans, [{ hostPath: '/b.yaml', role: 'webhook-config' }]).questions).toEqual([]);
  });

  it('restores nothing for a flag that is set', () => {
    expect(planRestore(apiserver(['--audit-policy-file=/x', '--audit-webhook-config-file=/y']), orphans, []).restore).toEqual({
      policy: null,
      webhook: null,
      ambiguous: [],
    });
  });
});

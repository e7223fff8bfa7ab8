import { describe, expect, it } from 'vitest';
import { auditSettings, differences } from '../../src/kube/consistency.js';
import { GOOD_FLAGS, pod } from '../helpers/cluster-facts.js';

describe('control-plane consistency', () => {
  it('finds nothing when every node matches', () => {
    expect(differences([pod('a'), pod('b'), pod('c')])).toEqual([]);
  });

  it('names the odd node with its value and the common one', () => {
    const diffs = differences([pod('a'), pod('b'), pod('c', [GOOD_FLAGS[0]!])]);
    expect(diffs).toEqual([
      { setting: '--audit-webhook-config-file', common: '/etc/kubernetes/audit/webhook.yaml', odd: [{ node: 'c', value: '(not set)' }] },
      { setting: 'webhook-config host path', common: '/etc/kubernetes/audit/webhook.yaml', odd: [{ node: 'c', value: '(not set)' }] },
      {
        setting: 'webhook-config mount',
        common: '/etc/kubernetes/audit (ro) from hostPath /etc/kubernetes/audit (Directory)',
        odd: [{ node: 'c', value: '(not set)' }],
      },
    ]);
  });

  it('sees a different hostPath behind the same mount', () => {
    const diffs = differences([pod('a'), pod('b', GOOD_FLAGS, { mountPath: '/etc/kubernetes/audit', hostPath: '/srv/audit' }), pod('c')]);
    expect(diffs.map((d) => [d.setting, d.odd])).toEqual([
      ['policy host path', [{ node: 'b', value: '/srv/audit/policy.yaml' }]],
      ['policy mount', [{ node: 'b', value: '/etc/kubernetes/audit (ro) from hostPath /srv/audit (Directory)' }]],
      ['webhook-config host path', [{ node: 'b', value: '/srv/audit/webhook.yaml' }]],
      ['webhook-config mount', [{ node: 'b', value: '/etc/kubernetes/audit (ro) from hostPath /srv/audit (Directory)' }]],
    ]);
  });

  it('has no majority between two differing nodes: both are named', () => {
    const [d] = differences([
      pod('a', [...GOOD_FLAGS, '--audit-webhook-mode=batch']),
      pod('b', [...GOOD_FLAGS, '--audit-webhook-mode=blocking']),
    ]);
    expect(d).toEqual({
      setting: '--audit-webhook-mode',
      common: null,
      odd: [
        { node: 'a', value: 'batch' },
        { node: 'b', value: 'blocking' },
      ],
    });
  });

  it('keeps the last occurrence of a repeated flag, as pflag does', () => {
    expect(auditSettings(pod('a', ['--audit-webhook-mode=blocking', '--audit-webhook-mode=batch'])).get('--audit-webhook-mode')).toBe(
      'batch',
    );
  });
});

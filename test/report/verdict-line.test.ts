// The closing line names the next step that fits what went wrong.
import { describe, expect, it } from 'vitest';
import { verdictLine } from '../../src/report/exit-codes.js';

const none = { pass: 0, warn: 0, fail: 0, skip: 10, unknown: 18 };

describe('verdictLine, nothing checked (exit 5)', () => {
  it('says to run as root when the manifest was unreadable', () => {
    const line = verdictLine(
      { summary: none, notChecked: 'cannot read /etc/kubernetes/manifests/kube-apiserver.yaml: permission denied' },
      5,
    );
    expect(line).toBe(
      'nothing could be checked: cannot read /etc/kubernetes/manifests/kube-apiserver.yaml: permission denied — run as root (sudo prisma-audit doctor) (exit 5)',
    );
  });

  it('says where to point the tool when no apiserver was found', () => {
    expect(verdictLine({ summary: none, notChecked: 'no kube-apiserver configuration found' }, 5)).toMatch(
      /— run on a control-plane node, or pass --root DIR or --manifest PATH \(exit 5\)$/,
    );
  });
});

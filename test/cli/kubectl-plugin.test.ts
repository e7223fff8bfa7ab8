// Run as `kubectl prisma-audit`, the doctor checks the user's cluster by default, and kubectl's
// --kubeconfig/--context (passed after the plugin name) are its own.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/cli/args.js';
import { invokedAsPlugin, pluginDefaults } from '../../src/cli/kubectl-plugin.js';

const doctor = (...args: string[]) => {
  const c = pluginDefaults(parseCommand(['doctor', ...args]));
  if (c.name !== 'doctor') throw new Error(c.name);
  return c.options;
};

describe('kubectl plugin', () => {
  it('knows the plugin name from argv0 (single binary) or the script path (node)', () => {
    expect(invokedAsPlugin(['/usr/local/bin/kubectl-prisma_audit', '/usr/local/bin/prisma-audit'])).toBe(true);
    expect(invokedAsPlugin(['node', '/home/u/.krew/bin/kubectl-prisma_audit'])).toBe(true);
    expect(invokedAsPlugin(['node', '/usr/lib/node_modules/prisma-audit/dist/cli.js'])).toBe(false);
    expect(invokedAsPlugin(['/usr/local/bin/kubectl-prisma_audit-old', undefined])).toBe(false);
  });

  it('turns cluster mode on, keeping --kubeconfig and --context', () => {
    expect(doctor().cluster).toMatchObject({ cluster: true, kubeconfig: null, context: null });
    expect(doctor('--kubeconfig', '/k', '--context', 'prod').cluster).toMatchObject({ cluster: true, kubeconfig: '/k', context: 'prod' });
  });

  it('leaves a node root, the demo, a bundle and the other commands alone', () => {
    expect(doctor('--root', '/host').cluster.cluster).toBe(false);
    expect(doctor('--demo').cluster.cluster).toBe(false);
    expect(doctor('--from-bundle', 'b.tar.gz').cluster.cluster).toBe(false);
    expect(pluginDefaults(parseCommand(['checks']))).toEqual(parseCommand(['checks']));
  });
});

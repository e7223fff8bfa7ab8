// Installed as kubectl-prisma_audit (a link to, or a copy of, the CLI or the single binary), the tool
// runs as `kubectl prisma-audit ...`. kubectl passes every flag after the plugin name (it refuses flags
// before it), so --kubeconfig and --context reach the doctor as they are. A kubectl user means their
// cluster: doctor runs in cluster mode by default then (kubectl's kubeconfig rules: KUBECONFIG, else
// ~/.kube/config), unless it is pointed at a node root, the demo or a bundle.
import path from 'node:path';
import type { Command } from './args.js';

const PLUGIN = /^kubectl-prisma_audit$/;

/** Whether the program was started under the plugin name (argv0 for the single binary, the script path
 * for node). */
export function invokedAsPlugin(names: (string | undefined)[]): boolean {
  return names.some((n) => n !== undefined && PLUGIN.test(path.basename(n)));
}

export function pluginDefaults(command: Command): Command {
  if (command.name !== 'doctor') return command;
  const o = command.options;
  if (o.demo || o.fromBundle !== null || o.root !== '/' || o.manifest !== null) return command;
  return { ...command, options: { ...o, cluster: { ...o.cluster, cluster: true } } };
}

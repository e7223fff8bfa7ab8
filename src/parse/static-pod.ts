// A file in the static-pod directory as the kubelet's file source reads it (pkg/kubelet/config/file.go):
// decoded as one Pod, keyed by namespace/name ("default" when no namespace is given), or refused with
// "couldn't parse as pod(...)". Only what the directory judgment needs is kept.
import type { StaticPodFile } from '../model/node.js';
import { parseYaml } from './yaml-file.js';
import { lastFlag, parseFlags } from './flags.js';
import { isObj } from './json-value.js';

const words = (v: unknown): string[] => (Array.isArray(v) ? v.filter((w): w is string => typeof w === 'string') : []);

export function readStaticPod(text: string): StaticPodFile {
  const parsed = parseYaml(text);
  const none = (why: string): StaticPodFile => ({ key: null, parseError: why, apiserverPort: null });
  if (parsed.error) return none(`yaml: line ${parsed.error.line ?? '?'}: ${parsed.error.message}`);
  const pod = parsed.value;
  if (!isObj(pod)) return none("Object 'Kind' is missing in 'null'");
  if (typeof pod.kind !== 'string' || pod.kind === '')
    return none(`Object 'Kind' is missing in '${text.slice(0, 60).replace(/\s+/g, ' ')}…'`);
  if (pod.kind !== 'Pod') return none(`invalid pod: the file is a ${pod.kind}, not a Pod`);
  const meta = isObj(pod.metadata) ? pod.metadata : {};
  if (typeof meta.name !== 'string' || meta.name === '')
    return none('invalid pod: metadata.name: Required value: name or generateName is required');
  const namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : 'default';
  const spec = isObj(pod.spec) ? pod.spec : {};
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isObj) : [];
  const apiserver = containers.find(
    (c) => c.name === 'kube-apiserver' || [...words(c.command), ...words(c.args)].some((w) => /(^|\/)kube-apiserver$/.test(w)),
  );
  let apiserverPort: string | null = null;
  if (apiserver) {
    const { flags } = parseFlags(
      [...words(apiserver.command), ...words(apiserver.args)].map((t) => ({ text: t, line: null, source: 'command' as const })),
    );
    apiserverPort = lastFlag(flags, 'secure-port')?.value ?? '6443';
  }
  return { key: `${namespace}/${meta.name}`, parseError: null, apiserverPort };
}

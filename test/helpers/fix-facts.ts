// Facts built from file text, for pure generator tests (what the collectors would gather).
import type { Fact } from '../../src/model/report.js';
import type { ApiserverConfig, Distribution, ParsedFile } from '../../src/model/node.js';
import type { FixOptions, GatheredFacts } from '../../src/fixes/types.js';
import { NO_RESTORE } from '../../src/fixes/generators/layout.js';
import { readApiserverContainer, versionFromImage } from '../../src/parse/pod.js';
import { parseYaml } from '../../src/parse/yaml-file.js';

export const MANIFEST_PATH = '/etc/kubernetes/manifests/kube-apiserver.yaml';

export function apiserverFact(text: string, distribution: Distribution = 'kubeadm', file = MANIFEST_PATH): Fact<ApiserverConfig> {
  const parsed = parseYaml(text);
  try {
    const c = readApiserverContainer(parsed.value, parsed.lines);
    return {
      ok: true,
      value: {
        distribution,
        mode: 'static-pod',
        file,
        text,
        tried: [file],
        others: [],
        containerName: c.name,
        image: c.image,
        kubernetesVersion: versionFromImage(c.image),
        flags: c.flags,
        mounts: c.mounts,
        volumes: c.volumes,
        env: c.env,
        durableSource: null,
        notes: [],
      },
    };
  } catch (err) {
    return { ok: false, error: { reason: 'parse', message: (err as Error).message } };
  }
}

export function parsedFact(text: string, path: string, containerPath = path): Fact<ParsedFile> {
  return { ok: true, value: { path, containerPath, size: text.length, text, ...parseYaml(text) } };
}

export const missing = (message: string): Fact<never> => ({ ok: false, error: { reason: 'not-found', message } });

export function factsOf(manifest: string, extra: GatheredFacts = {}): GatheredFacts {
  return { apiserver: apiserverFact(manifest), ...extra };
}

/** A minimal kubeadm-style pod; `flags` become command items after the binary. */
export function pod(flags: string[], opts: { args?: boolean; extraContainer?: boolean; image?: string } = {}): string {
  const items = flags.map((f) => `    - ${f}`).join('\n');
  const run = opts.args ? `    command:\n    - kube-apiserver\n    args:\n${items}` : `    command:\n    - kube-apiserver\n${items}`;
  const extra = opts.extraContainer
    ? `\n  - name: kube-apiserver-sidecar\n    image: x\n    command:\n    - /usr/local/bin/kube-apiserver\n`
    : '\n';
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: ${opts.image ?? 'registry.k8s.io/kube-apiserver:v1.28.2'}\n${run}\n    volumeMounts:\n    - mountPath: /etc/kubernetes/pki\n      name: k8s-certs\n      readOnly: true${extra}  hostNetwork: true\n  volumes:\n  - hostPath:\n      path: /etc/kubernetes/pki\n      type: DirectoryOrCreate\n    name: k8s-certs\n`;
}

/** Fix options with nothing given on the command line and nothing live known, plus `over`. */
export function fixOptions(over: Partial<FixOptions> = {}): FixOptions {
  return {
    webhookUrl: null,
    consoleWebhookUrl: null,
    consoleProblem: null,
    caPem: null,
    now: new Date(),
    liveChain: null,
    restore: NO_RESTORE,
    replaceWebhook: false,
    ...over,
  };
}

// Builds fact literals for pure check tests.
import type { Check } from '../../src/checks/check.js';
import { evaluateSafely } from '../../src/checks/run.js';
import type { Finding } from '../../src/model/report.js';
import type { Facts } from '../../src/model/facts.js';
import type { ApiserverConfig, ParsedFile } from '../../src/model/node.js';
import { parseFlags } from '../../src/parse/flags.js';
import { parseYaml } from '../../src/parse/yaml-file.js';

export function apiserver(flags: string[], over: Partial<ApiserverConfig> = {}): ApiserverConfig {
  return {
    distribution: 'kubeadm',
    mode: 'static-pod',
    file: '/etc/kubernetes/manifests/kube-apiserver.yaml',
    text: '',
    tried: [],
    others: [],
    containerName: 'kube-apiserver',
    image: 'registry.k8s.io/kube-apiserver:v1.28.2',
    kubernetesVersion: '1.28.2',
    flags: parseFlags(['kube-apiserver', ...flags].map((text, i) => ({ text, line: i + 10, source: 'command' as const }))).flags,
    mounts: [],
    volumes: [],
    env: [],
    durableSource: null,
    notes: [],
    ...over,
  };
}

export function parsedFile(text: string, path = '/etc/kubernetes/audit/file.yaml'): ParsedFile {
  return { path, containerPath: path, size: text.length, text, ...parseYaml(text) };
}

export function evaluate(check: Check, facts: Partial<Facts>, now = new Date()): Finding {
  return evaluateSafely(check, facts, now);
}

export const ok = <T>(value: T) => ({ ok: true as const, value });

// Reads ClusterConfiguration.apiServer.extraArgs/extraVolumes, where kubeadm keeps the apiserver
// settings it regenerates the manifest from on `kubeadm upgrade`. Pure.
import { parseAllDocuments } from 'yaml';
import { flagsFromKeyValues } from '../parse/flags.js';
import type { KubeadmAuditArgs } from '../model/cluster.js';
import { isObj, scalarText, type Obj } from '../parse/json-value.js';

function documents(text: string): unknown[] {
  const docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [];
  const broken = list.find((d) => d.errors.length > 0);
  if (broken) throw new Error(broken.errors[0]!.message.split('\n')[0]);
  return list.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
}

/** The ClusterConfiguration in a text: the ConfigMap's data.ClusterConfiguration, a multi-document
 * kubeadm config file, or a kind Cluster whose kubeadmConfigPatches embed one as a string. */
export function findClusterConfiguration(text: string): Obj | null {
  for (const doc of documents(text)) {
    if (!isObj(doc)) continue;
    if (doc.kind === 'ClusterConfiguration') return doc;
    if (doc.kind === 'Cluster') {
      const nodes = Array.isArray(doc.nodes) ? doc.nodes.filter(isObj) : [];
      const patches = [doc, ...nodes].flatMap((o) => (Array.isArray(o.kubeadmConfigPatches) ? o.kubeadmConfigPatches : []));
      for (const patch of patches) {
        const found = typeof patch === 'string' ? findClusterConfiguration(patch) : null;
        if (found) return found;
      }
    }
  }
  return null;
}

/** extraArgs as flag -> value. Up to v1beta3 a map (whose keys may themselves hold "=", as in
 * "feature-gates=DynamicAuditing": "true", rendered --feature-gates=DynamicAuditing=true); v1beta4
 * a list of {name, value} where the last entry of a name wins. */
export function kubeadmAuditArgs(cfg: Obj): KubeadmAuditArgs {
  const apiServer = isObj(cfg.apiServer) ? cfg.apiServer : {};
  const raw = apiServer.extraArgs;
  const items = Array.isArray(raw)
    ? raw.filter(isObj).map((e) => `${scalarText(e.name) ?? ''}=${scalarText(e.value) ?? ''}`)
    : isObj(raw)
      ? Object.entries(raw).map(([k, v]) => `${k}=${scalarText(v) ?? ''}`)
      : [];
  const extraArgs: Record<string, string> = {};
  for (const f of flagsFromKeyValues(
    items.map((text) => ({ text, line: null })),
    'config',
  ))
    extraArgs[f.name] = f.value ?? '';
  const extraVolumes = (Array.isArray(apiServer.extraVolumes) ? apiServer.extraVolumes : []).filter(isObj).map((v) => ({
    name: scalarText(v.name) ?? '',
    hostPath: scalarText(v.hostPath) ?? '',
    mountPath: scalarText(v.mountPath) ?? '',
  }));
  return { apiVersion: scalarText(cfg.apiVersion), extraArgs, extraVolumes };
}

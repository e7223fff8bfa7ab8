// kubeadmConfig: ConfigMap kube-system/kubeadm-config, when the cluster was built by kubeadm.
import type { Collector } from '../collector.js';
import { getJson, kubeClient } from './api.js';
import { findClusterConfiguration, kubeadmAuditArgs } from '../../kube/kubeadm-config.js';

export const kubeadmConfigCollector: Collector<'kubeadmConfig'> = {
  key: 'kubeadmConfig',
  deps: [],
  async collect(ctx) {
    const client = await kubeClient(ctx);
    const cm = await getJson<{ data?: Record<string, string> }>(
      client,
      'get configmaps in kube-system',
      '/api/v1/namespaces/kube-system/configmaps/kubeadm-config',
      true,
    );
    if (!cm) return { config: null, parseError: null };
    const text = cm.data?.ClusterConfiguration ?? '';
    try {
      const cfg = findClusterConfiguration(text);
      return cfg
        ? { config: kubeadmAuditArgs(cfg), parseError: null }
        : { config: null, parseError: 'data.ClusterConfiguration holds no ClusterConfiguration' };
    } catch (err) {
      return { config: null, parseError: `data.ClusterConfiguration is not valid YAML: ${(err as Error).message}` };
    }
  },
};

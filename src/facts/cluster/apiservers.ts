// clusterApiservers: every kube-apiserver pod in kube-system, read from its spec.
import type { Collector } from '../collector.js';
import { getJson, kubeClient } from './api.js';
import { apiserverPodsOf } from '../../kube/pods.js';

export const clusterApiserversCollector: Collector<'clusterApiservers'> = {
  key: 'clusterApiservers',
  deps: [],
  async collect(ctx) {
    const client = await kubeClient(ctx);
    // One list, filtered here: label conventions differ between kubeadm, kops and RKE2, and the
    // pod count in kube-system is small.
    const list = await getJson<unknown>(client, 'list pods in kube-system', '/api/v1/namespaces/kube-system/pods');
    return {
      selector: 'pods in kube-system labelled component=kube-apiserver, or named kube-apiserver-* with tier=control-plane',
      pods: apiserverPodsOf(list),
    };
  },
};

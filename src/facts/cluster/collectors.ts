// Every cluster-mode collector, by the fact it gathers (spread into COLLECTORS).
import type { Collector } from '../collector.js';
import type { ClusterFacts } from '../../model/cluster.js';
import { kubeApiCollector } from './kube-api.js';
import { clusterApiserversCollector } from './apiservers.js';
import { apiserverPodLogsCollector } from './pod-logs.js';
import { auditMetricsCollector } from './audit-metrics.js';
import { kubeadmConfigCollector } from './kubeadm-config-collector.js';
import { managedControlPlaneCollector } from './managed-collector.js';
import { prismaSettingsCollector } from '../console/settings.js';

export const CLUSTER_COLLECTORS: { [K in keyof ClusterFacts]: Collector<K> } = {
  kubeApi: kubeApiCollector,
  clusterApiservers: clusterApiserversCollector,
  apiserverPodLogs: apiserverPodLogsCollector,
  auditMetrics: auditMetricsCollector,
  kubeadmConfig: kubeadmConfigCollector,
  managedControlPlane: managedControlPlaneCollector,
  prismaSettings: prismaSettingsCollector,
};

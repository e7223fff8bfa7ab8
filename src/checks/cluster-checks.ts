// Cluster-mode checks (Kubernetes API and Prisma console), in the order they are shown.
import type { Check } from './check.js';
import { managedControlPlane } from './managed-control-plane.js';
import { controlPlaneApiservers } from './control-plane-apiservers.js';
import { controlPlaneConsistent } from './control-plane-consistent.js';
import { kubeadmConfigDurable } from './kubeadm-config-durable.js';
import { apiserverLogs } from './apiserver-logs.js';
import { auditDelivery } from './audit-delivery.js';
import { auditCapacity } from './audit-capacity.js';
import { prismaWebhookUrl } from './prisma-webhook-url.js';

export const CLUSTER_CHECKS: Check[] = [
  managedControlPlane,
  controlPlaneApiservers,
  controlPlaneConsistent,
  kubeadmConfigDurable,
  apiserverLogs,
  auditDelivery,
  auditCapacity,
  prismaWebhookUrl,
];

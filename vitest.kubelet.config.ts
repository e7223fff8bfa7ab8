// The real-kubelet suite (npm run test:kubelet): one kubelet 1.20.2 + containerd run every case at once in
// a private mount namespace, then fleet mode runs on two kubelets registered to a real kube-apiserver
// (with dist/prisma-audit-image.tar imported); needs root and what scripts/prepare-kubelet.sh builds.
// About 5 minutes.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test-kubelet/**/*.kubelet.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});

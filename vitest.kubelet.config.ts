// The real-kubelet suite (npm run test:kubelet): one kubelet 1.20.2 + containerd run every case at once in
// a private mount namespace; needs root and what scripts/prepare-kubelet.sh builds. About 3 minutes.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test-kubelet/**/*.kubelet.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});

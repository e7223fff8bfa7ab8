// The version suite (npm run test:versions): the doctor against two oracles, a real kube-apiserver
// 1.20.2 and Kubernetes 1.36's audit code (the audit-oracle probe). Slow and needs the binaries of
// scripts/prepare-apiserver.sh and scripts/prepare-modern-audit.sh, so it is kept out of `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test-versions/**/*.versions.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // A failing start-up exits in about a second; a good one serves in a few. Four at a time keeps
    // the ~70 start-ups around three minutes on two cores.
    maxConcurrency: 4,
  },
});

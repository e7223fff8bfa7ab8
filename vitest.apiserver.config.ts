// The real kube-apiserver suite (npm run test:apiserver): slow, needs the binaries from
// scripts/prepare-apiserver.sh, so it is kept out of `npm test` by its file suffix.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test-apiserver/**/*.apiserver.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // Each case starts its own kube-apiserver (~5 s of mostly waiting); three at a time keeps the
    // suite well under five minutes on two cores.
    maxConcurrency: 3,
  },
});

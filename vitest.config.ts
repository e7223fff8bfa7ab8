import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // ink-testing-library keeps the last frame only when ink does not think it runs in CI.
    env: { CI: 'false' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

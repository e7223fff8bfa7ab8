import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // End-to-end tests spawn the built CLI: build it once before any test runs.
    globalSetup: ['test/helpers/build.ts'],
    // ink-testing-library keeps the last frame only when ink does not think it runs in CI.
    env: { CI: 'false' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

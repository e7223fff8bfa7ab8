import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // End-to-end tests spawn the built CLI: build it once before any test runs.
    globalSetup: ['test/helpers/build.ts'],
    env: { CI: 'false' },
    // End-to-end tests start Node processes; a loaded machine needs more than the 5 s default.
    testTimeout: 30_000,
  },
});

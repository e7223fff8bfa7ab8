// The single-binary suite (npm run test:sea): needs dist/prisma-audit-linux-x64 (about 100 MB, built by
// the script), so it is kept out of `npm test` by its folder.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test-sea/**/*.test.ts'],
    testTimeout: 60_000,
  },
});

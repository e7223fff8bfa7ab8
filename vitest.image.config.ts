// The container image suite (npm run test:image): needs root, containerd and runc
// (scripts/prepare-containerd.sh) and dist/prisma-audit-image.tar, so it is kept out of `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test-image/**/*.test.ts'],
    testTimeout: 120_000,
    fileParallelism: false,
  },
});

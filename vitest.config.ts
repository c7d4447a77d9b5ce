import { defineConfig } from 'vitest/config';

/** Every test file's temp files live under one directory that is removed after the file. */
const TEMP_ROOT = './test/helpers/temp-root.ts';

// Three projects so `npm test` can run the fast unit tests first and stop early on failure.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          environment: 'node',
          setupFiles: [TEMP_ROOT],
          // The simulator's launcher tests run real bash and SSH: on a busy 2-core machine a few
          // take over vitest's 5 s default. A hang still fails, just later.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          setupFiles: [TEMP_ROOT],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          setupFiles: [TEMP_ROOT],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

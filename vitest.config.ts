import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Every test file's temp files live under one directory that is removed after the file. */
const TEMP_ROOT = './test/helpers/temp-root.ts';

// Three projects so `npm test` can run the fast unit tests first and stop early on failure.
//
// Unit files share one worker process (`isolate: false`): with isolation each of the 170+ files
// paid a fresh process and the module runner again for what it imports. This is safe because no
// test here mocks a module (`vi.mock`) or stubs globals/env, fake timers are restored in afterEach,
// the source keeps no module-level mutable state beyond WeakMaps and a content-keyed cache, and
// every file closes what it starts (temp-root.ts runs again for each file, checked). A file that
// ever needs isolation gets a project of its own.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // packaging/: the StartOS package's pure parts (its form → the config file).
          include: ['src/**/*.test.ts', 'packaging/**/*.test.ts'],
          environment: 'node',
          setupFiles: [TEMP_ROOT],
          isolate: false,
          // The simulator's launcher tests run real bash and SSH: on a busy 2-core machine a few
          // take over vitest's 5 s default. A hang still fails, just later.
          testTimeout: 20_000,
          // Simulator files start a cluster in beforeAll: vitest's 10 s default fails them under load.
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          setupFiles: [TEMP_ROOT],
          // At least two files at once: vitest's default (cores - 1) ran one at a time on CI's 2 cores,
          // and a file spends much of its time waiting on its simulated cluster's timed steps. An idle
          // cluster no longer polls its nodes every 300 ms (test/helpers/harness.ts), so two fit.
          maxWorkers: Math.max(2, availableParallelism() - 1),
          // Each file imported the whole server again (~2 s a file, 166 s of a 1,145 s run). Shared
          // for the reasons the unit project gives; test files hold their state in their own
          // module, and every file closes the cluster it starts.
          isolate: false,
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

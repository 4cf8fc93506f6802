import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LOCAL_AWS_ENV } from './emulator/index.js';

/**
 * Marks a test that runs the code under test in a child process (a command, a heap-limited Node). `npm run mutation`
 * skips it (mutation/vitest.config.ts): the child runs the original code, so the test can kill no mutant.
 */
export const CHILD_PROCESS_TAG = {
  name: 'child-process',
  description: 'Runs the code under test in a child process; skipped by `npm run mutation`.',
};

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One DynamoDB Local for the whole run (test/support/global-setup.ts); each test file makes its own table. Each
    // service is packaged once per run (test/support/test-builds.ts), and every packaging that must differ has its
    // own folders: files run in parallel.
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    fileParallelism: true,
    // One more worker than cores: many files spend part of their time waiting on DynamoDB Local, a child process or
    // a timer rather than computing, and a third worker fills those gaps. Measured on 2 cores (whole `npm test`,
    // 2026-12-07): 2 workers 95 s, 3 workers 82-85 s, 4 workers 86 s (each worker loads the dependencies once more).
    // VITEST_MAX_WORKERS overrides it.
    maxWorkers: availableParallelism() + 1,
    // A worker runs file after file in one process, its dependencies loaded once: starting a process and loading the
    // AWS SDK, middy and Powertools again for each of 50 files cost more CPU than most files' tests. The project's own
    // modules are loaded afresh for each file (test/support/fresh-modules.ts).
    isolate: false,
    setupFiles: ['test/support/fresh-modules.ts'],
    // Room for a busy machine: a timeout is a guard against a hang, not a speed target (those live in bench/).
    testTimeout: 120_000,
    tags: [CHILD_PROCESS_TAG],
    hookTimeout: 120_000,
    env: {
      ...LOCAL_AWS_ENV,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});

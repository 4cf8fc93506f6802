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
    // One DynamoDB Local for the whole run (test/support/global-setup.ts); each test file makes its own table.
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Files run one at a time: several of them run `serverless package`, which shares the project's .serverless folder.
    fileParallelism: false,
    testTimeout: 60_000,
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

import { configDefaults, defineConfig } from 'vitest/config';
import { LOCAL_AWS_ENV } from './scripts/local/dynamodb-local.js';

/**
 * Marks a test that runs the code under test in a child process (a command, a heap-limited Node). `npm run mutation`
 * skips it (mutation/vitest.config.ts): the child runs the original code, so the test can kill no mutant.
 */
export const CHILD_PROCESS_TAG = {
  name: 'child-process',
  description: 'Runs the code under test in a child process; skipped by `npm run mutation`.',
};

/**
 * Tests that build the project with `serverless package`, which writes the project's .serverless folder: they run
 * one file at a time. The others (in-process, mostly waiting on backoffs and stand-ins) run beside them.
 */
const PACKAGING_TESTS = ['test/e2e/**/*.test.ts', 'test/template/**/*.test.ts', 'test/integration/dynamodb-local.test.ts'];

export default defineConfig({
  test: {
    // One DynamoDB Local for the whole run (test/support/global-setup.ts); each test file makes its own table.
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Two workers on a 2-core machine: the packaging files one at a time in one, the in-process files in the other.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'packaging', include: PACKAGING_TESTS, fileParallelism: false } },
      {
        extends: true,
        test: { name: 'in-process', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...PACKAGING_TESTS], maxWorkers: 1 },
      },
    ],
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

/**
 * What `npm run mutation` mutates, and which tests judge each part. Each scope is its own Stryker run with its own
 * vitest config (mutation/vitest.config.ts), rather than one run narrowed by Stryker's `testFiles` option, which
 * reports every mutant in module-level code as surviving (stryker-js issues 6144 and 6209).
 */

/** A part of the code under mutation, and the tests that may kill its mutants. */
export interface MutationScope {
  /** Names the scope's Stryker run and its reports in .mutation/reports/. */
  name: 'shared' | 'setup';
  /** The folder whose every .ts file is mutated; a narrowed run takes only files under it. */
  folder: string;
  tests: string[];
  /** Tests under `tests` that exercise something else. */
  otherTests: string[];
}

const SETUP_TESTS = ['test/unit/setup*.test.ts', 'test/integration/setup*.test.ts'];

/** The event path shared by the five functions, and the setup function with its Stream hook. */
export const MUTATION_SCOPES: readonly MutationScope[] = [
  {
    name: 'shared',
    folder: 'shared/',
    tests: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/property/**/*.test.ts', 'test/hostile/**/*.test.ts'],
    // The launcher test checks the emulator (emulator/), and starts Java of its own for each case.
    otherTests: [...SETUP_TESTS, 'test/integration/dynamodb-local.test.ts'],
  },
  { name: 'setup', folder: 'functions/setup/', tests: SETUP_TESTS, otherTests: [] },
];

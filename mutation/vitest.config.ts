/**
 * The vitest config of one mutation scope (mutation/scopes.ts), named by `MUTATION_SCOPE`, which mutation/run.ts
 * sets for Stryker. Everything else is the project's config, including its globalSetup: each Stryker test runner
 * starts its own DynamoDB Local, and Stryker kills it with the runner's process tree when it replaces the runner.
 */
import { configDefaults, defineConfig } from 'vitest/config';
import projectConfig, { CHILD_PROCESS_TAG } from '../vitest.config.js';
import { MUTATION_SCOPES } from './scopes.js';

const scope = MUTATION_SCOPES.find(({ name }) => name === process.env.MUTATION_SCOPE);
if (scope === undefined) {
  throw new Error(`MUTATION_SCOPE must be one of ${MUTATION_SCOPES.map(({ name }) => name).join(', ')}: run \`npm run mutation\``);
}

export default defineConfig({
  ...projectConfig,
  test: {
    ...projectConfig.test,
    include: scope.tests,
    exclude: [...configDefaults.exclude, ...scope.otherTests],
    tags: [{ ...CHILD_PROCESS_TAG, skip: true }],
    // Stryker's runner measures which tests reach which mutant per file: each file in a fresh module graph.
    isolate: true,
    // The property tests run again for every mutant they reach: 500 generated deliveries each instead of 10,000.
    env: { ...projectConfig.test?.env, PROPERTY_RUNS: '500' },
  },
});

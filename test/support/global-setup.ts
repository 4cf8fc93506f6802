/**
 * The run's shared parts, made once for every test file: one DynamoDB Local (its endpoint handed to the tests with
 * `provide`), and the folder where the run's builds go (test/support/test-builds.ts packages each service once, when
 * the first file needs it, and every other file takes it from there).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type DynamoDBLocal, startDynamoDBLocal } from '../../emulator/index.js';
import { PROJECT_DIR } from './serverless-cli.js';

let dynamoDB: DynamoDBLocal | undefined;
let buildsDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  mkdirSync(join(PROJECT_DIR, '.local'), { recursive: true });
  // Inside the project: the unpacked bundles leave the AWS SDK to the runtime, and the project's node_modules plays it.
  buildsDir = mkdtempSync(join(PROJECT_DIR, '.local', 'test-builds-'));
  project.provide('testBuildsDir', buildsDir);
  dynamoDB = await startDynamoDBLocal();
  project.provide('dynamoDBEndpoint', dynamoDB.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamoDB?.stop();
  if (buildsDir !== undefined) rmSync(buildsDir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDBEndpoint: string;
    /** Where test/support/test-builds.ts keeps this run's packages. */
    testBuildsDir: string;
  }
}

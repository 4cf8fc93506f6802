/**
 * The run's shared parts, made once for every test file: one DynamoDB Local (its endpoint handed to the tests with
 * `provide`), and the folder where the run's builds go (test/support/test-builds.ts packages each service once, when
 * the first file needs it, and every other file takes it from there).
 *
 * `npm test` also type-checks the whole tree here, beside the tests rather than before them: `tsc --noEmit` alone
 * took 5 s of a core while the other core waited, and the run fails at its end if tsc found an error. Incremental,
 * its state in .local/: a run after the first checks again only what changed and what depends on it (the whole tree
 * unchanged: 4.0 s of CPU instead of 10.1 s, measured on 2026-12-08). A focused run
 * (`npx vitest run <file>`) skips it: only `npm test` (npm_lifecycle_event `test`) pays for it; `npm run typecheck`
 * runs it alone.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type DynamoDBLocal, startDynamoDBLocal } from '../../emulator/index.js';
import { type ProcessRun, runProcess } from './processes.js';
import { PROJECT_DIR } from './serverless-cli.js';

let dynamoDB: DynamoDBLocal | undefined;
let buildsDir: string | undefined;
let operatorNote: string | undefined;
let typeCheck: Promise<ProcessRun> | undefined;

export async function setup(project: TestProject): Promise<void> {
  mkdirSync(join(PROJECT_DIR, '.local'), { recursive: true });
  if (process.env.npm_lifecycle_event === 'test')
    typeCheck = runProcess(
      join(PROJECT_DIR, 'node_modules/.bin/tsc'),
      ['--noEmit', '--pretty', 'false', '--incremental', '--tsBuildInfoFile', join(PROJECT_DIR, '.local', 'typecheck.tsbuildinfo')],
      { cwd: PROJECT_DIR },
    );
  // Inside the project: the unpacked bundles leave the AWS SDK to the runtime, and the project's node_modules plays it.
  buildsDir = mkdtempSync(join(PROJECT_DIR, '.local', 'test-builds-'));
  project.provide('testBuildsDir', buildsDir);
  // What an operator keeps in the project's .serverless/, which osls deletes on every package in the project: every
  // packaging of the run happens elsewhere, so it must still be there at the end (test/e2e/local-run.test.ts).
  mkdirSync(join(PROJECT_DIR, '.serverless'), { recursive: true });
  operatorNote = join(PROJECT_DIR, '.serverless', `operator-note-${randomUUID()}.txt`);
  writeFileSync(operatorNote, 'kept');
  project.provide('operatorNote', operatorNote);
  dynamoDB = await startDynamoDBLocal();
  project.provide('dynamoDBEndpoint', dynamoDB.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamoDB?.stop();
  if (buildsDir !== undefined) rmSync(buildsDir, { recursive: true, force: true });
  if (operatorNote !== undefined) rmSync(operatorNote, { force: true });
  const checked = await typeCheck;
  if (checked !== undefined && checked.code !== 0) {
    // vitest reports an error thrown here but keeps the exit status of the tests: the status is set here.
    process.exitCode = 1;
    throw new Error(`tsc --noEmit found type errors (exit ${checked.code ?? checked.signal}):\n${checked.stdout}${checked.stderr}`);
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDBEndpoint: string;
    /** Where test/support/test-builds.ts keeps this run's packages. */
    testBuildsDir: string;
    /** A file in the project's .serverless/ that no packaging of the run may delete. */
    operatorNote: string;
  }
}

/**
 * The run's builds: each service the tests run (this project, the fixture test/fixtures/local-lambda) is packaged
 * once per `npm test`, by the real `serverless package`, when the first file asks for it; every other file, in
 * whichever worker, takes the same package folder. Files then run in parallel: none packages the project again,
 * and a file that must package something else (a copy of the project, a stage of its own) does it in a folder of
 * its own.
 *
 * The first caller takes a lock (a folder: mkdir is atomic) and packages; the others wait for its marker. A run
 * that failed leaves its error for every file that asks, rather than each trying again.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { type PackagedService, packageService, readPackagedService } from '../../emulator/index.js';
import { PROJECT_DIR } from './serverless-cli.js';

/** The services the suite packages, by name. */
export const TEST_SERVICES = {
  project: PROJECT_DIR,
  'local-lambda': join(PROJECT_DIR, 'test/fixtures/local-lambda'),
} as const;
export type TestService = keyof typeof TEST_SERVICES;

const WAIT = { pollMs: 100, timeoutMs: 300_000 } as const;

/** The package folder of a service (stage dev), packaged by the first caller of the run. */
export async function testPackage(service: TestService): Promise<string> {
  const root = inject('testBuildsDir');
  const packageDir = join(root, service);
  const done = `${packageDir}.done`;
  const failed = `${packageDir}.failed`;
  try {
    mkdirSync(`${packageDir}.lock`);
  } catch {
    return waitFor(packageDir, done, failed);
  }
  try {
    await packageService({ serviceDir: TEST_SERVICES[service], stage: 'dev', into: packageDir });
    writeFileSync(done, '');
  } catch (error) {
    writeMarker(failed, (error as Error).message);
    throw error;
  }
  return packageDir;
}

/** The packaged service, read (its functions, table, bundling), without unpacking anything. */
export async function testPackagedService(service: TestService): Promise<PackagedService> {
  return readPackagedService(await testPackage(service));
}

async function waitFor(packageDir: string, done: string, failed: string): Promise<string> {
  const deadline = Date.now() + WAIT.timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(done)) return packageDir;
    if (existsSync(failed)) throw new Error(`packaging for the tests failed (in another file):\n${readFileSync(failed, 'utf8')}`);
    await sleep(WAIT.pollMs);
  }
  throw new Error(`${packageDir} was not packaged within ${WAIT.timeoutMs} ms`);
}

/** Written whole or not at all: a waiting file never reads half a message. */
function writeMarker(file: string, text: string): void {
  writeFileSync(`${file}.partial`, text);
  renameSync(`${file}.partial`, file);
}

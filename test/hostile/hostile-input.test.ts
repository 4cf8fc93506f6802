/**
 * Every delivery of the hostile corpus through all five category functions (the real chain, DynamoDB Local),
 * in a process whose heap is limited as Lambda limits the function's: each is classified as expected by exactly
 * one function, none kills or hangs the process, and nothing is polluted.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freshTable } from '../support/category-function.js';
import { runProcess } from '../support/processes.js';
import { PROJECT_DIR } from '../support/serverless-cli.js';
import { testPackagedService } from '../support/test-builds.js';
import { hostileCorpus } from './corpus.js';

/** Lambda gives Node's heap about 90% of the function's memory size. */
const LAMBDA_HEAP_SHARE = 0.9;
const RUNNER = fileURLToPath(new URL('./heap-limited-run.ts', import.meta.url));

/** The category functions' memorySize, as the packaged template gives it. */
async function functionMemoryMb(): Promise<number> {
  return (await testPackagedService('project')).functions[0]!.memorySizeMb;
}

describe('hostile input', () => {
  it('holds at least 40 deliveries', () => {
    expect(hostileCorpus().length).toBeGreaterThanOrEqual(40);
  });

  it('classifies every delivery once, under the heap limit Lambda gives the function, polluting nothing', {
    tags: ['child-process'],
  }, async () => {
    // Prepare
    const table = await freshTable();
    const heapLimitMb = Math.floor((await functionMemoryMb()) * LAMBDA_HEAP_SHARE);

    // Act
    const run = await runProcess(
      process.execPath,
      [`--max-old-space-size=${heapLimitMb}`, '--import', 'tsx', RUNNER, table.endpoint, table.tableName],
      {
        cwd: PROJECT_DIR,
      },
    );

    // Assess
    const lines = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
    const started = lines.filter((line) => line.started).map((line) => line.started as string);
    const unfinished = started.filter((name) => !lines.some((line) => line.finished === name));
    expect({ unfinished, status: run.code, signal: run.signal, stderr: run.stderr.slice(-2_000) }).toMatchObject({
      unfinished: [],
      status: 0,
    });
    const outcomes = Object.fromEntries(lines.filter((line) => line.finished).map((line) => [line.finished, line.owners]));
    const expected = Object.fromEntries(hostileCorpus().map((delivery) => [delivery.name, [delivery.expected]]));
    expect(outcomes).toEqual(expected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

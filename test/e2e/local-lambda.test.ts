/**
 * The local fan-out is as strict as Lambda: functions packaged by the real `serverless package` (the fixture
 * service in test/fixtures/local-lambda) run one invocation per execution environment, under their memorySize,
 * timeout and reserved concurrency; a death fails that invocation only, is retried twice, and ends as an
 * on-failure record in AWS's shape; a fresh environment serves the next invocation.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Build, LocalFanOut, openBuild, snsLambdaEvent, stableMessageId } from '../../emulator/index.js';
import { testPackage } from '../support/test-builds.js';

type Entry = {
  at: 'start' | 'end';
  id: string;
  behaviour: string;
  threadId: number;
  requestId: string;
  inFlight: number;
  memoryLimitInMB: string;
};

let build: Build;
let folder: string;
let fanOut: LocalFanOut | undefined;

const builtFunction = (name: string) => build.functions.find((fn) => fn.name === name)!;
/** A fan-out to one of the fixture's functions. */
function fanOutTo(name: string): LocalFanOut {
  fanOut = new LocalFanOut([builtFunction(name)], {
    environment: { FIXTURE_RECORD_FILE: join(folder, 'records.jsonl') },
    retryDelaysMs: [10, 20],
    deadLetterDir: join(folder, 'dead-letters'),
    onLogLine: () => undefined,
  });
  return fanOut;
}

const ask = (behaviour: string, id: string) =>
  JSON.stringify(snsLambdaEvent(JSON.stringify({ behaviour, id }), { messageId: stableMessageId(id) }));
const entries = (): Entry[] =>
  readFileSync(join(folder, 'records.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Entry);
const deadLetters = (name: string) =>
  readFileSync(join(folder, 'dead-letters', `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

beforeAll(async () => {
  build = await openBuild(await testPackage('local-lambda'));
});
afterAll(() => build?.remove());
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'local-lambda-'));
});
afterEach(async () => {
  await fanOut?.close();
  fanOut = undefined;
  rmSync(folder, { recursive: true, force: true });
});

describe('function settings from the packaged template', () => {
  it('reads memorySize, timeout, reserved concurrency and retries', () => {
    // Assess
    expect(builtFunction('behaviours')).toMatchObject({
      functionName: 'local-lambda-fixture-dev-behaviours',
      memorySizeMb: 128,
      timeoutSeconds: 1,
      reservedConcurrency: 2,
      maximumRetryAttempts: 2,
    });
    expect(builtFunction('flaky')).toMatchObject({ timeoutSeconds: 10, reservedConcurrency: undefined });
  });
});

describe('execution environments', () => {
  it('run one invocation each at a time, never more environments than the reserved concurrency', async () => {
    // Prepare
    const fanOut = fanOutTo('behaviours');

    // Act
    const reports = await Promise.all(Array.from({ length: 6 }, (_, i) => fanOut.deliver(ask('hold', `hold-${i}`))));

    // Assess
    expect(reports.flat().map((report) => report.result?.outcome)).toEqual(Array(6).fill('processed'));
    const log = entries();
    expect(log.filter((entry) => entry.at === 'start').map((entry) => entry.inFlight)).toEqual(Array(6).fill(1));
    expect(new Set(log.map((entry) => entry.memoryLimitInMB).filter(Boolean))).toEqual(new Set(['128']));
    let running = 0;
    let most = 0;
    for (const entry of log) {
      running += entry.at === 'start' ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(most).toBe(2);
  });

  it('fail only the invocation that crashed: another one running beside it completes', async () => {
    // Prepare
    const fanOut = fanOutTo('behaviours');

    // Act
    const [held, exited] = await Promise.all([fanOut.deliver(ask('hold', 'beside')), fanOut.deliver(ask('exit', 'crasher'))]);

    // Assess
    expect(held[0]?.result?.outcome).toBe('processed');
    expect(exited[0]?.error?.errorType).toBe('Runtime.ExitError');
  });
});

describe('a death in an invocation', () => {
  it.each([
    ['oom', 'hog', 'Runtime.OutOfMemory', /^RequestId: \S+ Error: Runtime exited with error: signal: killed$/],
    ['timeout', 'behaviours', 'Sandbox.Timedout', /^RequestId: \S+ Error: Task timed out after 1\.00 seconds$/],
    ['uncaught', 'behaviours', 'TypeError', /^uncaught in uncaught-1$/],
    ['exit', 'behaviours', 'Runtime.ExitError', /^RequestId: \S+ Error: Runtime exited with error: exit status 7$/],
  ])(
    '%s (in %s): fails as Lambda reports it, retried twice, then an on-failure record; a fresh environment serves next',
    async (behaviour, name, errorType, errorMessage) => {
      // Prepare
      const fanOut = fanOutTo(name);
      const event = ask(behaviour, `${behaviour}-1`);

      // Act
      const [failed] = await fanOut.deliver(event);
      const [next] = await fanOut.deliver(ask('hold', 'after'));

      // Assess
      expect(failed).toMatchObject({ attempts: 3, error: { errorType } });
      expect(failed?.error?.errorMessage).toMatch(errorMessage);
      const attempts = entries().filter((entry) => entry.id === `${behaviour}-1`);
      expect(attempts).toHaveLength(3);
      expect(new Set(attempts.map((entry) => entry.requestId)).size).toBe(1);
      const deadThreads = new Set(attempts.map((entry) => entry.threadId));
      expect(deadThreads.size).toBe(3);
      expect(next?.result?.outcome).toBe('processed');
      expect(deadThreads.has(entries().find((entry) => entry.id === 'after')!.threadId)).toBe(false);
      expect(deadLetters(name)).toEqual([
        {
          version: '1.0',
          timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          requestContext: {
            requestId: attempts[0]!.requestId,
            functionArn: `arn:aws:lambda:us-east-1:111122223333:function:local-lambda-fixture-dev-${name}:$LATEST`,
            condition: 'RetriesExhausted',
            approximateInvokeCount: 3,
          },
          requestPayload: JSON.parse(event),
          responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
          responsePayload: expect.objectContaining({ errorType, errorMessage: expect.stringMatching(errorMessage) }),
        },
      ]);
    },
  );
});

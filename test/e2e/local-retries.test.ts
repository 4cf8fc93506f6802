/**
 * The local run retries as AWS would (emulator/retry-clock.ts): a retry reads the time Lambda's retry would read
 * (about 1, then 3 minutes after the first attempt), so an idempotency lock left by a failed attempt has expired
 * by then exactly when it would have in AWS. On the fixture's `flaky` (the template's real middleware chain and
 * Powertools idempotency, packaged by the real `serverless package`), with its fix on, against the suite's
 * DynamoDB Local behind the fault stand-in.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  type Build,
  createIdempotencyTable,
  type DynamoDBFaults,
  LOCAL_AWS_ENV,
  LocalFanOut,
  openBuild,
  snsLambdaEvent,
  stableMessageId,
  startDynamoDBFaults,
} from '../../emulator/index.js';
import { testPackage } from '../support/test-builds.js';

let build: Build;
let faults: DynamoDBFaults;
let folder: string;
let tableName: string;
let fanOut: LocalFanOut;

const client = () =>
  new DynamoDBClient({
    endpoint: inject('dynamoDBEndpoint'),
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });

beforeAll(async () => {
  build = await openBuild(await testPackage('local-lambda'));
  faults = await startDynamoDBFaults(inject('dynamoDBEndpoint'));
});
afterAll(async () => {
  await faults?.close();
  build?.remove();
});
beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'local-retries-'));
  tableName = `local-retries-${randomUUID()}`;
  await createIdempotencyTable(inject('dynamoDBEndpoint'), build.idempotencyTable, tableName);
  fanOut = new LocalFanOut([build.functions.find((fn) => fn.name === 'flaky')!], {
    environment: {
      ...LOCAL_AWS_ENV,
      AWS_ENDPOINT_URL_DYNAMODB: faults.endpoint,
      IDEMPOTENCY_TABLE: tableName,
      FIXTURE_FIXED: '1',
      FIXTURE_RECORD_FILE: join(folder, 'executions.jsonl'),
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    // The local run's own real waits (emulator/local-stack.ts): Lambda's, 240 times faster.
    retryDelaysMs: [250, 500],
    deadLetterDir: join(folder, 'dead-letters'),
    onLogLine: () => undefined,
  });
  return async () => {
    await fanOut.close();
    rmSync(folder, { recursive: true, force: true });
  };
});

/** A message.new event of its own, as Stream sends it. */
const messageEvent = (id: string) =>
  JSON.stringify(
    snsLambdaEvent(JSON.stringify({ type: 'message.new', cid: 'messaging:general', message: { id } }), { messageId: stableMessageId(id) }),
  );
const executions = () =>
  existsSync(join(folder, 'executions.jsonl'))
    ? readFileSync(join(folder, 'executions.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).executed)
    : [];

describe('a retry on the retry clock', () => {
  it('processes once an event whose lock was written and its answer lost: the lock has expired by the retry', async () => {
    // Prepare: the in-progress write lands, its answer is lost (the SDK's own retry then finds the lock taken).
    faults.failNext.push({ action: 'PutItem', kind: 'applied-then-500' });

    // Act
    const [report] = await fanOut.deliver(messageEvent('lost-answer'));

    // Assess
    expect(faults.failNext).toEqual([]);
    expect(report).toMatchObject({ function: 'flaky', attempts: 2, result: { outcome: 'processed' } });
    expect(executions()).toEqual(['lost-answer']);
    expect(existsSync(join(folder, 'dead-letters', 'flaky.jsonl'))).toBe(false);
  });

  it('still fails, and dead-letters, an event whose lock outlives both of Lambda retries (as in AWS)', async () => {
    // Prepare: the event done once, then its record put back in progress until 15 minutes from now, as an
    // invocation of a function with a 15-minute timeout, still running, would hold it.
    await fanOut.deliver(messageEvent('held'));
    const dynamoDB = client();
    const { Items } = await dynamoDB.send(new ScanCommand({ TableName: tableName }));
    expect(Items).toHaveLength(1);
    await dynamoDB.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { id: Items![0]!.id! },
        UpdateExpression: 'SET #status = :inProgress, #inProgressExpiry = :until',
        ExpressionAttributeNames: { '#status': 'status', '#inProgressExpiry': 'in_progress_expiration' },
        ExpressionAttributeValues: { ':inProgress': { S: 'INPROGRESS' }, ':until': { N: String(Date.now() + 15 * 60_000) } },
      }),
    );

    // Act
    const [report] = await fanOut.deliver(messageEvent('held'));

    // Assess
    expect(report).toMatchObject({ function: 'flaky', attempts: 3, error: { errorType: 'EventInProgressError' } });
    expect(executions()).toEqual(['held']);
    expect(
      readFileSync(join(folder, 'dead-letters', 'flaky.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean),
    ).toHaveLength(1);
  });
});

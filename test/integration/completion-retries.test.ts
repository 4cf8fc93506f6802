/**
 * The completion write (the one that marks an event done, after the customer's code succeeded) failing the way
 * DynamoDB fails: throttled, applied and then answered 500, answered after the client's timeout. The real chain and
 * DynamoDB Local, behind a stand-in that injects the faults (emulator/dynamodb-faults.ts). The chain's own waits
 * (its backoff, its margin before the deadline) run on fake time (test/support/fake-clock.ts); the client's socket
 * timeouts on real time.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type DynamoDBFaults,
  LOCAL_AWS_ENV,
  lambdaContext,
  snsLambdaEvent,
  startDynamoDBFaults,
  THROTTLED_MESSAGE,
} from '../../emulator/index.js';
import { IdempotencyStoreUnavailableError } from '../../shared/errors.js';
import type { CompletionRetry } from '../../shared/idempotency.js';
import { streamEventFunction } from '../../shared/middleware.js';
import type { InvocationResult, StreamEvent } from '../../shared/types.js';
import { freshTable, testFunction } from '../support/category-function.js';
import { countInFlight, withFakeClock } from '../support/fake-clock.js';
import { sampleJson } from '../support/samples.js';

const closing: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(closing.splice(0).map((server) => server.close()));
});

/**
 * A messages function whose DynamoDB requests go through a fault-injecting stand-in, with one attempt each, and a
 * request timeout only where given (a client timer would run on the fake clock).
 */
async function functionBehindProxy(completionRetry?: CompletionRetry, requestTimeout?: number) {
  const table = await freshTable();
  const proxy = await startDynamoDBFaults(table.endpoint);
  closing.push(proxy);
  const runs: StreamEvent[] = [];
  const dynamoDB = new DynamoDBClient({
    endpoint: proxy.endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
    // One attempt per write: the retries counted are the chain's own.
    maxAttempts: 1,
    requestHandler: requestTimeout === undefined ? {} : { requestTimeout, throwOnRequestTimeout: true },
  });
  const inFlight = countInFlight(dynamoDB);
  const handler = streamEventFunction(
    'messages',
    { fallback: async (event) => void runs.push(event) },
    {
      idempotency: { tableName: table.tableName, dynamoDB, ...(completionRetry ? { completionRetry } : {}) },
      rejectedDeliveries: { keep: async () => undefined },
    },
  );
  const reader = await testFunction('messages', table);
  const invoke = (messageId: string, timeoutMs = 30_000) =>
    handler(snsLambdaEvent(sampleJson('message.new'), { messageId }), lambdaContext({ timeoutMs })) as Promise<InvocationResult>;
  return {
    proxy,
    runs,
    /** One invocation, on real time. */
    invoke,
    /** One invocation, on fake time: the chain's waits take none. */
    invokeOnFakeClock: (messageId: string, timeoutMs = 30_000) =>
      withFakeClock(
        () => invoke(messageId, timeoutMs),
        () => inFlight() === 0 && proxy.inFlight === 0,
      ),
    status: async () => (await reader.records())[0]?.status,
  };
}

/** A server that accepts every connection and never answers. */
async function silentServer(): Promise<{ endpoint: string }> {
  const server = createServer((request) => request.resume());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closing.push({
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const completionWrites = (proxy: DynamoDBFaults) => proxy.requests.filter((request) => request.action === 'UpdateItem');
const throttleCompletionWrites = (proxy: DynamoDBFaults, count: number) => {
  for (let i = 0; i < count; i += 1) proxy.failNext.push({ action: 'UpdateItem', kind: 'throttled' });
};

describe('completion write: a throttled table', () => {
  it('retries with waits that double, and gives up once the retry budget is spent, failing as transient', async () => {
    // Prepare: waits of 100, 200, 400 and 800 ms (1.5 s) fit a 2 s budget; the next wait, 1.6 s, could not.
    const fn = await functionBehindProxy({ maxWaitMs: 2_000, firstDelayMs: 100, keepBeforeDeadlineMs: 0 });
    throttleCompletionWrites(fn.proxy, 1_000);

    // Act
    const failure = await fn.invokeOnFakeClock('throttled').catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(IdempotencyStoreUnavailableError);
    expect((failure as Error).message).toContain(THROTTLED_MESSAGE);
    expect((failure as Error).cause).toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    const writes = completionWrites(fn.proxy).map((write) => write.at);
    expect(writes).toHaveLength(5);
    const waits = writes.slice(1).map((at, i) => at - writes[i]!);
    [100, 200, 400, 800].forEach((wait, i) => {
      expect(waits[i]).toBeGreaterThanOrEqual(wait);
      expect(waits[i]).toBeLessThan(wait + 50);
    });
    expect(fn.runs).toHaveLength(1);
    expect(await fn.status()).toBe('INPROGRESS');
  });

  it('rides out a throttle shorter than the budget: the event is processed once, and its redelivery is a duplicate', async () => {
    // Prepare
    const fn = await functionBehindProxy();
    throttleCompletionWrites(fn.proxy, 3);

    // Act
    const first = await fn.invokeOnFakeClock('throttled-briefly');
    const redelivery = await fn.invokeOnFakeClock('throttled-briefly-again');

    // Assess
    expect([first.outcome, redelivery.outcome]).toEqual(['processed', 'duplicate']);
    expect(completionWrites(fn.proxy)).toHaveLength(4);
    expect(fn.runs).toHaveLength(1);
    expect(await fn.status()).toBe('COMPLETED');
  });
});

describe('completion write: near the deadline', () => {
  it('does not retry within 10 s of the deadline, the longest one write can take, so the timeout never cuts a write off', async () => {
    // Prepare: the default retry, in an invocation that has just over 10 s left when its code has run.
    const fn = await functionBehindProxy();
    throttleCompletionWrites(fn.proxy, 1);

    // Act
    const failure = await fn.invokeOnFakeClock('near-deadline', 10_050).catch((error: unknown) => error);

    // Assess: failed for Lambda's retry, with the event left in progress, rather than a write cut off mid-way.
    expect(failure).toBeInstanceOf(IdempotencyStoreUnavailableError);
    expect(completionWrites(fn.proxy)).toHaveLength(1);
    expect(await fn.status()).toBe('INPROGRESS');
  });

  it.each([
    ['retries when the wait still ends before the margin', 12_000, 2, 'COMPLETED'],
    ['does not retry when the wait would end inside the margin', 10_500, 1, 'INPROGRESS'],
  ] as const)('%s', async (_, timeoutMs, writes, status) => {
    // Prepare: a 1 s wait before the retry and a 10 s margin.
    const fn = await functionBehindProxy({ maxWaitMs: 10_000, firstDelayMs: 1_000, keepBeforeDeadlineMs: 10_000 });
    throttleCompletionWrites(fn.proxy, 1);

    // Act
    await fn.invokeOnFakeClock('margin', timeoutMs).catch((error: unknown) => error);

    // Assess
    expect(completionWrites(fn.proxy)).toHaveLength(writes);
    expect(await fn.status()).toBe(status);
  });
});

describe('completion write: applied, then answered 500', () => {
  it('counts the event processed once; the retried write finds nothing to undo', async () => {
    // Prepare
    const fn = await functionBehindProxy();
    fn.proxy.failNext.push({ action: 'UpdateItem', kind: 'applied-then-500' });

    // Act
    const first = await fn.invokeOnFakeClock('applied');
    const redelivery = await fn.invokeOnFakeClock('applied-again');

    // Assess
    expect([first.outcome, redelivery.outcome]).toEqual(['processed', 'duplicate']);
    expect(fn.runs).toHaveLength(1);
    expect(await fn.status()).toBe('COMPLETED');
  });
});

describe('completion write: answered after the client gave up', () => {
  it("fails the invocation for a retry when the write's answers come late, and the retry finds the event done (applied all along)", async () => {
    // Prepare: the write and its one retry are applied, their answers held past the client's 1 s timeout (a socket
    // timeout: real time).
    const fn = await functionBehindProxy({ maxWaitMs: 300, firstDelayMs: 100, keepBeforeDeadlineMs: 0 }, 1_000);
    for (let i = 0; i < 2; i += 1) fn.proxy.failNext.push({ action: 'UpdateItem', kind: 'late', answerAfterMs: 1_500 });

    // Act
    const failure = await fn.invoke('late').catch((error: unknown) => error);
    const retry = await fn.invoke('late');

    // Assess
    expect(failure).toBeInstanceOf(IdempotencyStoreUnavailableError);
    expect(retry.outcome).toBe('duplicate');
    expect(fn.runs).toHaveLength(1);
  });
});

describe('the default DynamoDB client', () => {
  it('fails fast, as transient, naming the error and the endpoint it tried, when DynamoDB accepts the connection but never answers', async () => {
    // Prepare: a server that reads each request and never answers; the default client, pointed at it as
    // serverless invoke local points it at DynamoDB Local.
    const silent = await silentServer();
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', silent.endpoint);
    const handler = streamEventFunction(
      'messages',
      { fallback: async () => undefined },
      {
        idempotency: { tableName: 'never-answered' },
        rejectedDeliveries: { keep: async () => undefined },
      },
    );
    const started = Date.now();

    // Act
    const failure = await handler(snsLambdaEvent(sampleJson('message.new'), { messageId: 'silent' }), lambdaContext()).catch(
      (error: unknown) => error,
    );

    // Assess: three attempts of 2 s each, well inside the 30 s Lambda timeout, rather than the SDK's minutes.
    expect(failure).toBeInstanceOf(IdempotencyStoreUnavailableError);
    expect((failure as Error).message).toContain('TimeoutError');
    expect((failure as Error).message).toContain(silent.endpoint);
    expect((failure as Error).cause).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

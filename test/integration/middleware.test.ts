/**
 * The middleware chain as a whole: guard, poison handling, logs and metrics, on the real chain against
 * DynamoDB Local.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeMessage, snsLambdaEvent } from '../../emulator/index.js';
import { CATEGORIES, categoryOf } from '../../shared/catalog.js';
import { RejectionReason } from '../../shared/errors.js';
import { flushSkippedCounts, logger } from '../../shared/observability.js';
import { MessageEncoding } from '../../shared/types.js';
import { countingClient, freshTable, testFunction } from '../support/category-function.js';
import { type CapturedOutput, capturePowertoolsOutput } from '../support/powertools-output.js';
import { sampleJson } from '../support/samples.js';

// Metrics are off for the rest of the suite; this file checks them. vi.hoisted runs before the imports.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
});

let output: CapturedOutput;

beforeEach(() => {
  output = capturePowertoolsOutput();
});

afterEach(() => {
  flushSkippedCounts();
  vi.restoreAllMocks();
  logger.setLogLevel('SILENT');
});

describe('category guard', () => {
  it('hands each sample to exactly one function, the owner of its type', async () => {
    // Prepare
    const functions = await Promise.all(CATEGORIES.map((category) => testFunction(category)));
    const delivery = snsLambdaEvent(encodeMessage(sampleJson('user.banned'), MessageEncoding.Base64Gzip), { messageId: 'b' });
    const owner = categoryOf('user.banned');

    // Act
    const results = await Promise.all(functions.map((fn) => fn.invoke(delivery)));

    // Assess
    expect(results.map((result) => result.outcome)).toEqual(CATEGORIES.map((c) => (c === owner ? 'processed' : 'skipped')));
    expect(functions.map((fn) => fn.runs.length)).toEqual(CATEGORIES.map((c) => (c === owner ? 1 : 0)));
  });

  it('gives custom and unknown types to other', async () => {
    // Prepare
    const other = await testFunction('other');
    const messages = await testFunction('messages');
    const delivery = snsLambdaEvent('{"type":"my_app.order_shipped","order":7}', { messageId: 'c' });

    // Act
    const [fromOther, fromMessages] = [await other.invoke(delivery), await messages.invoke(delivery)];

    // Assess
    expect(fromOther.outcome).toBe('processed');
    expect(fromMessages.outcome).toBe('skipped');
  });
});

describe('poison deliveries', () => {
  it('are kept once, by other, when no type can be read; with no retry and no DynamoDB request', async () => {
    // Prepare
    const other = await testFunction('other');
    const messages = await testFunction('messages');
    const delivery = snsLambdaEvent('bm90IGpzb24=', { messageId: 'poison-1' });

    // Act
    const [fromOther, fromMessages] = [await other.invoke(delivery), await messages.invoke(delivery)];

    // Assess
    expect(fromOther).toEqual({ outcome: 'rejected', category: 'other', type: null, reason: RejectionReason.InvalidJson });
    expect(fromMessages.outcome).toBe('skipped');
    expect(other.rejections).toHaveLength(1);
    expect(other.rejections[0]).toMatchObject({ reason: 'invalid_json', snsMessageId: 'poison-1', lambdaEvent: delivery });
    expect(messages.rejections).toHaveLength(0);
    expect(other.requests() + messages.requests()).toBe(0);
  });

  it('are kept by the owner of their type when the type could be read', async () => {
    // Prepare
    const other = await testFunction('other');
    const messages = await testFunction('messages');
    const delivery = snsLambdaEvent(`{"type":"message.new","x":${'['.repeat(100)}${']'.repeat(100)}}`, { messageId: 'poison-2' });

    // Act
    const [fromOther, fromMessages] = [await other.invoke(delivery), await messages.invoke(delivery)];

    // Assess
    expect(fromMessages).toMatchObject({ outcome: 'rejected', reason: RejectionReason.TooDeep, type: 'message.new' });
    expect(fromOther.outcome).toBe('skipped');
    expect(messages.rejections).toHaveLength(1);
  });

  it('are kept by the owner of the type their first bytes name, whatever breaks after them', async () => {
    // Prepare
    const functions = await Promise.all(CATEGORIES.map((category) => testFunction(category)));
    const owner = categoryOf('message.new');
    const deliveries = {
      truncated: snsLambdaEvent('{"type":"message.new","text":"cut her', { messageId: 't' }),
      twoTypes: snsLambdaEvent('{"type":"message.new","text":"x","type":"user.banned"}', { messageId: 'd' }),
    };

    // Act
    const outcomes: Record<string, unknown[]> = {};
    for (const [name, delivery] of Object.entries(deliveries)) {
      outcomes[name] = (await Promise.all(functions.map((fn) => fn.invoke(delivery)))).map(
        (r) => `${r.outcome}${r.reason ? `:${r.reason}` : ''}`,
      );
    }

    // Assess
    expect(outcomes).toEqual({
      truncated: CATEGORIES.map((c) => (c === owner ? 'rejected:invalid_json' : 'skipped')),
      twoTypes: CATEGORIES.map((c) => (c === owner ? 'rejected:conflicting_type' : 'skipped')),
    });
    expect(functions.map((fn) => fn.runs.length)).toEqual(CATEGORIES.map(() => 0));
  });

  it('fail the invocation when they cannot be kept, so that Lambda retries instead of dropping them', async () => {
    // Prepare
    const other = await testFunction('other');
    const { streamEventFunction } = await import('../../shared/middleware.js');
    const handler = streamEventFunction(
      'other',
      { fallback: async () => undefined },
      {
        rejectedDeliveries: { keep: async () => Promise.reject(new Error('queue unreachable')) },
        idempotency: { tableName: 'never-reached' },
      },
    );
    const { lambdaContext } = await import('../../emulator/index.js');

    // Act
    const failure = await handler(snsLambdaEvent('###', { messageId: 'p' }), lambdaContext()).catch((e: unknown) => e);

    // Assess
    expect((failure as Error).message).toBe('queue unreachable');
    expect(other.rejections).toHaveLength(0);
  });

  it('are logged once at ERROR with their reason and the head of the message', async () => {
    // Prepare
    const other = await testFunction('other');
    logger.setLogLevel('INFO');

    // Act
    await other.invoke(snsLambdaEvent('{"type": 42}', { messageId: 'poison-3' }));

    // Assess
    const errors = output.lines().filter((line) => line.level === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ reason: 'invalid_type', snsMessageId: 'poison-3', messageHead: '{"type": 42}', category: 'other' });
  });
});

describe('observability', () => {
  it('tags every log line of an event with its type, category, cid and SNS MessageId', async () => {
    // Prepare
    const messages = await testFunction('messages', {
      work: async () => {
        throw new Error('first attempt fails');
      },
    });
    logger.setLogLevel('INFO');
    const delivery = snsLambdaEvent(sampleJson('message.new'), { messageId: 'tagged' });

    // Act
    await messages.invoke(delivery).catch(() => undefined);

    // Assess
    const lines = output.lines().filter((line) => line.message !== undefined);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatchObject({
        category: 'messages',
        eventType: 'message.new',
        cid: 'messaging:proj-atlas-7f3c',
        snsMessageId: 'tagged',
      });
    }
  });

  it('caps the type, cid and MessageId that come from the event on every line, so that a long one cannot multiply the log', async () => {
    // Prepare: a custom type, a cid and a MessageId of thousands of characters each.
    const other = await testFunction('other', {
      work: async (_event, { logger: eventLogger }) => eventLogger.info('handled'),
    });
    logger.setLogLevel('INFO');
    const type = `my_app.${'t'.repeat(5_000)}`;
    const cid = `messaging:${'c'.repeat(5_000)}`;
    const messageId = 'm'.repeat(5_000);

    // Act
    await other.invoke(snsLambdaEvent(JSON.stringify({ type, cid }), { messageId }));

    // Assess
    const lines = output.lines().filter((line) => line.message !== undefined);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.eventType).toMatch(new RegExp(`^${type.slice(0, 200).replace('.', '\\.')}…\\(5007 characters, sha256 [0-9a-f]{12}\\)$`));
      expect(String(line.cid).startsWith(`${cid.slice(0, 200)}…(5010 characters`)).toBe(true);
      expect(String(line.snsMessageId).startsWith(`${messageId.slice(0, 200)}…(5000 characters`)).toBe(true);
      expect(JSON.stringify(line).length).toBeLessThan(2_000);
    }
  });

  it('caps the type and MessageId of a rejection in its log line and its record', async () => {
    // Prepare: a custom type first, then invalid JSON.
    const other = await testFunction('other');
    logger.setLogLevel('INFO');
    const type = `my_app.${'t'.repeat(5_000)}`;

    // Act
    const result = await other.invoke(snsLambdaEvent(`{"type":"${type}",}`, { messageId: 'i'.repeat(3_000) }));

    // Assess
    const [line] = output.lines().filter((entry) => entry.level === 'ERROR');
    expect(String(line!.eventType).startsWith(`${type.slice(0, 200)}…(5007 characters`)).toBe(true);
    expect(String(line!.snsMessageId).startsWith(`${'i'.repeat(200)}…(3000 characters`)).toBe(true);
    expect(other.rejections[0]).toMatchObject({ eventType: line!.eventType, snsMessageId: line!.snsMessageId });
    expect(result.type).toBe(line!.eventType);
  });

  it('writes one metric per owned event and aggregates skipped events into one line', async () => {
    // Prepare
    const users = await testFunction('users');
    const foreign = snsLambdaEvent(sampleJson('message.new'), { messageId: 'f' });
    const owned = snsLambdaEvent(sampleJson('user.deleted'), { messageId: 'o' });

    // Act
    for (let i = 0; i < 20; i += 1) await users.invoke(foreign);
    await users.invoke(owned);
    const beforeFlush = output.lines().filter((line) => line._aws);
    flushSkippedCounts();

    // Assess
    const metricLines = output.lines().filter((line) => line._aws);
    expect(beforeFlush).toHaveLength(1);
    expect(beforeFlush[0]).toMatchObject({ category: 'users', ProcessedEvents: 1 });
    expect(metricLines).toHaveLength(2);
    expect(metricLines[1]).toMatchObject({ category: 'users', SkippedEvents: 20 });
  });
});

describe('what the handler receives', () => {
  it('hands the handler the event, its SNS metadata, createdAt, the Lambda context and a live signal', async () => {
    // Prepare
    const messages = await testFunction('messages');

    // Act
    await messages.invoke(snsLambdaEvent(encodeMessage(sampleJson('message.new'), MessageEncoding.Base64Gzip), { messageId: 'ctx' }));

    // Assess
    expect(messages.runs[0]).toEqual(JSON.parse(sampleJson('message.new')));
    const context = messages.contexts[0]!;
    expect(context.sns).toMatchObject({ messageId: 'ctx', encoding: 'base64-gzip' });
    expect(context.createdAt).toBeInstanceOf(Date);
    expect(context.lambdaContext.awsRequestId).toMatch(/^req-/);
    expect(context.signal.aborted).toBe(false);
  });

  it('aborts the signal at the deadline, so that the handler can stop, and fails the invocation for a retry', async () => {
    // Prepare: a handler that waits for its signal.
    let abortedAfterMs: number | undefined;
    const started = Date.now();
    const messages = await testFunction('messages', {
      work: (_event, context) =>
        new Promise<void>((resolve) => {
          context.signal.addEventListener('abort', () => {
            abortedAfterMs = Date.now() - started;
            resolve();
          });
        }),
    });

    // Act
    const failure = await messages
      .invoke(snsLambdaEvent(sampleJson('message.new'), { messageId: 'late' }), { timeoutMs: 1_500 })
      .catch((error: Error) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'TimeoutError' });
    expect(abortedAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(messages.contexts[0]!.signal.aborted).toBe(true);
  });
});

describe('invocation logs', () => {
  it('carry the Lambda request id and the cold-start flag on every line of an event', async () => {
    // Prepare
    const messages = await testFunction('messages');
    logger.setLogLevel('INFO');

    // Act
    await messages.invoke(snsLambdaEvent(sampleJson('message.new'), { messageId: 'first' }));
    await messages.invoke(snsLambdaEvent(sampleJson('message.new'), { messageId: 'again' }));

    // Assess
    const lines = output.lines().filter((line) => line.message !== undefined);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) {
      expect(line.function_request_id).toMatch(/^req-/);
      expect(typeof line.cold_start).toBe('boolean');
    }
    expect(new Set(lines.map((line) => line.function_request_id)).size).toBe(lines.length);
  });

  it('say cold start on the first invocation of a container only, as Lambda initialises one on demand', async () => {
    // Prepare: a fresh module, as a new container loads it.
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.resetModules();
    const { streamEventFunction } = await import('../../shared/middleware.js');
    const { lambdaContext } = await import('../../emulator/index.js');
    const table = await freshTable();
    const handler = streamEventFunction(
      'users',
      { fallback: async (_event, context) => context.logger.info('handled') },
      {
        idempotency: { tableName: table.tableName, dynamoDB: countingClient(table.endpoint).client },
        rejectedDeliveries: { keep: async () => undefined },
      },
    );

    // Act
    for (const id of ['one', 'two', 'three']) {
      await handler(snsLambdaEvent(JSON.stringify({ type: 'user.updated', id }), { messageId: id }), lambdaContext());
    }

    // Assess
    const handled = output.lines().filter((line) => line.message === 'handled');
    expect(handled.map((line) => [line.snsMessageId, line.cold_start])).toEqual([
      ['one', true],
      ['two', false],
      ['three', false],
    ]);
    vi.unstubAllEnvs();
  });

  it('log a concurrent duplicate as a WARN, counted in its own metric, never as an ERROR', async () => {
    // Prepare
    let release: () => void = () => undefined;
    const messages = await testFunction('messages', { work: () => new Promise<void>((resolve) => (release = resolve)) });
    logger.setLogLevel('INFO');
    const running = messages.invoke(snsLambdaEvent(sampleJson('message.new'), { messageId: 'running' }));
    while (messages.runs.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));

    // Act
    const concurrent = await messages
      .invoke(snsLambdaEvent(sampleJson('message.new'), { messageId: 'concurrent' }))
      .catch((error: Error) => error);
    release();
    await running;

    // Assess
    expect(concurrent).toMatchObject({ name: 'EventInProgressError' });
    const lines = output.lines();
    expect(lines.filter((line) => line.level === 'ERROR')).toEqual([]);
    expect(lines.filter((line) => line.level === 'WARN')).toEqual([
      expect.objectContaining({ snsMessageId: 'concurrent', detail: expect.any(String) }),
    ]);
    expect(lines.filter((line) => line._aws && line.ConcurrentDuplicateEvents === 1)).toHaveLength(1);
  });
});

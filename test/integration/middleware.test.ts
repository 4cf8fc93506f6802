/**
 * The middleware chain as a whole: guard, poison handling, logs and metrics, on the real chain against
 * DynamoDB Local.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeMessage, lambdaContext, snsLambdaEvent } from '../../emulator/index.js';
import { CATEGORIES, categoryOf } from '../../shared/catalog.js';
import { RejectionReason } from '../../shared/errors.js';
import { streamEventFunction } from '../../shared/middleware.js';
import { flushSkippedCounts, logger } from '../../shared/observability.js';
import { type InvocationResult, MessageEncoding } from '../../shared/types.js';
import { acceptingDynamoDB } from '../support/accepting-dynamodb.js';
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

describe('routing by the topic a delivery came from', () => {
  const EVENTS_TOPIC = 'stream-chat-events-dev-events';
  const routing = { mode: 'per-category', catchAll: true, streamEventTypes: [], eventsTopicName: EVENTS_TOPIC } as const;
  const topicArn = (name: string) => `arn:aws:sns:us-east-1:111122223333:${name}`;

  it("keeps another category's type that arrives on a category's topic as misrouted, in the function that received it", async () => {
    // Prepare
    const messages = await testFunction('messages', { routing });
    const delivery = snsLambdaEvent(sampleJson('user.banned'), {
      messageId: 'misrouted-1',
      topicArn: topicArn(`${EVENTS_TOPIC}-messages`),
    });

    // Act
    const result = await messages.invoke(delivery);

    // Assess: kept with its reason, naming the type and the topic; the handler never ran and DynamoDB was not asked.
    expect(result).toEqual({ outcome: 'rejected', category: 'messages', type: 'user.banned', reason: RejectionReason.Misrouted });
    expect(messages.rejections).toHaveLength(1);
    expect(messages.rejections[0]).toMatchObject({ reason: 'misrouted', eventType: 'user.banned', lambdaEvent: delivery });
    expect(messages.rejections[0]!.detail).toMatch(
      /"user\.banned" belongs to moderation, not on topic stream-chat-events-dev-events-messages/,
    );
    expect(messages.runs).toHaveLength(0);
    expect(messages.requests()).toBe(0);
  });

  it('lets other drop, on the events topic, a type that its own hook carried to its function, which runs it', async () => {
    // Prepare
    const table = await freshTable();
    const other = await testFunction('other', { ...table, routing });
    const messages = await testFunction('messages', { ...table, routing });
    const json = sampleJson('message.new');

    // Act
    const onEvents = await other.invoke(snsLambdaEvent(json, { messageId: 'm-events', topicArn: topicArn(EVENTS_TOPIC) }));
    const onOwn = await messages.invoke(snsLambdaEvent(json, { messageId: 'm-own', topicArn: topicArn(`${EVENTS_TOPIC}-messages`) }));

    // Assess
    expect(onEvents.outcome).toBe('skipped');
    expect(onOwn.outcome).toBe('processed');
    expect(other.rejections).toHaveLength(0);
  });

  it('with catchAll false, keeps a named type that reaches other on the events topic instead of dropping it', async () => {
    // Prepare
    const other = await testFunction('other', { routing: { ...routing, catchAll: false } });

    // Act
    const result = await other.invoke(snsLambdaEvent(sampleJson('message.new'), { messageId: 'm-2', topicArn: topicArn(EVENTS_TOPIC) }));

    // Assess
    expect(result).toMatchObject({ outcome: 'rejected', reason: RejectionReason.Misrouted });
    expect(other.rejections).toHaveLength(1);
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

describe('event age and failures, as metrics', () => {
  /** 2026-07-14T12:00:00.000Z, the fixed clock of these tests. */
  const NOW = 1_784_030_400_000;
  const runs: string[] = [];
  const messages = streamEventFunction(
    'messages',
    {
      fallback: async (event) => {
        runs.push(event.type);
        if (event.cid === 'fail') throw new Error('the handler failed');
      },
    },
    {
      idempotency: { tableName: 'metrics', dynamoDB: acceptingDynamoDB() },
      rejectedDeliveries: { keep: async () => undefined },
      routing: { mode: 'single-topic' },
    },
  );
  const withCreatedAt = (createdAt: unknown, extra: object = {}) => ({
    ...snsLambdaEvent(JSON.stringify({ type: 'message.new', cid: 'messaging:x', created_at: createdAt }), { messageId: 'age' }),
    ...extra,
  });
  const metricLines = () => output.lines().filter((line) => line._aws);

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    runs.length = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const PAIRS: Array<[string, unknown, number]> = [
    ['RFC 3339 with milliseconds', '2026-07-14T11:59:59.250Z', 750],
    ['RFC 3339 with nanoseconds, cut to milliseconds', '2026-07-14T11:59:59.123456789Z', 877],
    ['RFC 3339 with an offset', '2026-07-14T13:59:58+02:00', 2_000],
    ['integer nanoseconds (a JSON number)', 1_784_030_399_000_000_000, 1_000],
    ['integer nanoseconds (a string of digits)', '1784030399000000000', 1_000],
    ['integer microseconds', 1_784_030_399_500_000, 500],
    ['integer milliseconds', 1_784_030_399_500, 500],
    ['integer seconds', 1_784_030_399, 1_000],
    ['the smallest integer read, 1e8 seconds', 100_000_000, NOW - 100_000_000_000],
    ['the largest integer read as seconds', 99_999_999_999, NOW - 99_999_999_999_000],
    ['the smallest integer read as milliseconds', 100_000_000_000, NOW - 100_000_000_000],
    ['a created_at ahead of the clock', '2026-07-14T12:00:01Z', -1_000],
  ];
  it.each(PAIRS)('writes EventAge in milliseconds for %s', async (_form, createdAt, age) => {
    // Act
    const result = (await messages(withCreatedAt(createdAt), lambdaContext())) as InvocationResult;

    // Assess: one line with the outcome and the age, under the category.
    expect(result.outcome).toBe('processed');
    expect(metricLines()).toHaveLength(1);
    expect(metricLines()[0]).toMatchObject({ category: 'messages', ProcessedEvents: 1, EventAge: age });
    expect(metricLines()[0]!._aws.CloudWatchMetrics[0].Metrics).toContainEqual({ Name: 'EventAge', Unit: 'Milliseconds' });
  });

  it.each([
    ['missing', undefined],
    ['unreadable', 'soon'],
    ['below the integers read', 99_999_999],
    ['past the integers read', '100000000000000000000'],
  ])('writes no age when created_at is %s, and still processes the event', async (_form, createdAt) => {
    // Act
    const result = (await messages(withCreatedAt(createdAt), lambdaContext())) as InvocationResult;

    // Assess
    expect(result.outcome).toBe('processed');
    expect(runs).toEqual(['message.new']);
    expect(metricLines()).toHaveLength(1);
    expect(metricLines()[0]).toMatchObject({ ProcessedEvents: 1 });
    expect(metricLines()[0]).not.toHaveProperty('EventAge');
  });

  it('warns, quoting the value, when created_at cannot be read as a date', async () => {
    // Prepare
    logger.setLogLevel('INFO');

    // Act
    await messages(withCreatedAt({ at: 'soon' }), lambdaContext());

    // Assess
    expect(output.lines().filter((line) => line.level === 'WARN')).toEqual([
      expect.objectContaining({
        message: 'created_at cannot be read as a date; the handler gets createdAt undefined',
        createdAt: '{"at":"soon"}',
      }),
    ]);
  });

  it('writes a reprocessed event’s age as ReplayedEventAge, never as EventAge', async () => {
    // Act
    await messages(withCreatedAt('2026-07-13T12:00:00Z', { streamReprocess: {} }), lambdaContext());

    // Assess
    expect(metricLines()[0]).toMatchObject({ category: 'messages', ReplayedEventAge: 86_400_000 });
    expect(metricLines()[0]).not.toHaveProperty('EventAge');
  });

  it('counts a failed event under FailedEvents, with its age, before the failure reaches Lambda', async () => {
    // Act
    const fine = (await messages(withCreatedAt('2026-07-14T11:59:59Z'), lambdaContext())) as InvocationResult;
    const failed = await Promise.resolve(
      messages(
        snsLambdaEvent(JSON.stringify({ type: 'message.new', cid: 'fail', created_at: '2026-07-14T11:59:59Z' }), { messageId: 'f' }),
        lambdaContext(),
      ),
    ).catch((error: unknown) => error);

    // Assess: the handler's error is counted once, with the age; the event that succeeded is not.
    expect(fine.outcome).toBe('processed');
    expect(failed).toBeInstanceOf(Error);
    expect(metricLines().filter((line) => 'FailedEvents' in line)).toEqual([
      expect.objectContaining({ category: 'messages', FailedEvents: 1, EventAge: 1_000 }),
    ]);
  });
});

describe('a reprocess request (streamReprocess beside Records)', () => {
  const messages = streamEventFunction(
    'messages',
    { fallback: async () => undefined },
    {
      idempotency: { tableName: 'reprocess', dynamoDB: acceptingDynamoDB() },
      rejectedDeliveries: { keep: async () => undefined },
      routing: { mode: 'single-topic' },
    },
  );
  const reprocessed = (streamReprocess: unknown) => ({ ...snsLambdaEvent(sampleJson('message.new'), { messageId: 'r' }), streamReprocess });

  it.each([
    ['an empty label', { label: '' }],
    ['a label with a space', { label: 'fix 1' }],
    ['a label of 65 characters', { label: 'a'.repeat(65) }],
    ['a label with a "#"', { label: 'a#b' }],
    ['a label that is not a string', { label: 7 }],
    ['a null label', { label: null }],
    ['a request that is not an object', 'force'],
    ['a null request', null],
  ])('rejects %s as invalid_reprocess_label, running nothing', async (_case, request) => {
    // Act
    const result = (await messages(reprocessed(request), lambdaContext())) as InvocationResult;

    // Assess
    expect(result).toMatchObject({ outcome: 'rejected', reason: RejectionReason.InvalidReprocessLabel, type: 'message.new' });
  });

  it.each([
    ['no label', {}],
    ['a label of 64 characters', { label: `A-z.0_9${'x'.repeat(57)}` }],
  ])('accepts a request with %s', async (_case, request) => {
    // Act
    const result = (await messages(reprocessed(request), lambdaContext())) as InvocationResult;

    // Assess
    expect(result.outcome).toBe('processed');
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
      expect.objectContaining({
        message: 'The same event is running in another invocation; Lambda will retry this one',
        snsMessageId: 'concurrent',
        detail: expect.any(String),
      }),
    ]);
    expect(lines.filter((line) => line._aws && line.ConcurrentDuplicateEvents === 1)).toHaveLength(1);
  });
});

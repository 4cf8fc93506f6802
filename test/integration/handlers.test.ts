/**
 * The customer's side of a Stream event function (per-type handlers, what each receives) and what the operator of
 * the deployed stack reads of it (log fields and metric lines), on the real chain against DynamoDB Local.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext, snsLambdaEvent } from '../../emulator/index.js';
import type { Category } from '../../shared/catalog.js';
import { streamEventFunction } from '../../shared/middleware.js';
import { flushSkippedCounts, logger } from '../../shared/observability.js';
import type { RejectedDelivery } from '../../shared/rejected-deliveries.js';
import type { CategoryHandlers, InvocationResult, StreamEvent, StreamEventContext } from '../../shared/types.js';
import { countingClient, freshTable } from '../support/category-function.js';
import { type CapturedOutput, capturePowertoolsOutput } from '../support/powertools-output.js';
import { sampleJson } from '../support/samples.js';

// Metrics are off for the rest of the suite; this file reads them. vi.hoisted runs before the imports.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
});

let output: CapturedOutput;
const jsonLines = () => output.lines();
const metricLines = () => jsonLines().filter((line) => line._aws);
const logLines = (level: string) => jsonLines().filter((line) => line.level === level);

beforeEach(() => {
  output = capturePowertoolsOutput();
  logger.setLogLevel('INFO');
});

afterEach(() => {
  vi.useRealTimers();
  flushSkippedCounts();
  vi.restoreAllMocks();
  logger.setLogLevel('SILENT');
});

/** A real category function with the given handlers, its own table, and rejections kept in memory. */
async function categoryFunction<C extends Category>(category: C, handlers: CategoryHandlers<C>) {
  const table = await freshTable();
  const rejections: RejectedDelivery[] = [];
  const handler = streamEventFunction(category, handlers, {
    idempotency: { tableName: table.tableName, dynamoDB: countingClient(table.endpoint).client },
    rejectedDeliveries: { keep: async (rejection) => void rejections.push(rejection) },
    // Five functions on one topic: single-topic routing (the other modes: test/property/routing.test.ts).
    routing: { mode: 'single-topic' },
  });
  return {
    rejections,
    invoke: (lambdaEvent: unknown) => handler(lambdaEvent, lambdaContext()) as Promise<InvocationResult>,
  };
}

/** Handlers that note which of them ran, for which event, and with what context. */
function recordingHandlers() {
  const calls: Array<{ handler: string; event: StreamEvent; context: StreamEventContext }> = [];
  const recording = (handler: string) => async (event: StreamEvent, context: StreamEventContext) => {
    calls.push({ handler, event, context });
  };
  return { calls, recording };
}

describe('dispatch by event type', () => {
  it("runs the handler registered for the event's type, and fallback for the category's other types", async () => {
    // Prepare
    const { calls, recording } = recordingHandlers();
    const messages = await categoryFunction('messages', {
      'message.new': recording('message.new'),
      'reaction.new': recording('reaction.new'),
      fallback: recording('fallback'),
    });

    // Act
    for (const type of ['message.new', 'reaction.new', 'message.deleted']) {
      await messages.invoke(snsLambdaEvent(JSON.stringify({ type, cid: 'messaging:general' }), { messageId: type }));
    }

    // Assess
    expect(calls.map(({ handler, event }) => [handler, event.type])).toEqual([
      ['message.new', 'message.new'],
      ['reaction.new', 'reaction.new'],
      ['fallback', 'message.deleted'],
    ]);
  });

  it('gives custom types named like Object properties (constructor, toString, fallback) to fallback', async () => {
    // Prepare
    const { calls, recording } = recordingHandlers();
    const other = await categoryFunction('other', { fallback: recording('fallback') });

    // Act
    const results = [];
    for (const type of ['constructor', 'toString', '__proto__', 'fallback']) {
      results.push(await other.invoke(snsLambdaEvent(JSON.stringify({ type, id: type }), { messageId: type })));
    }

    // Assess
    expect(results.map((result) => result.outcome)).toEqual(['processed', 'processed', 'processed', 'processed']);
    expect(calls.map(({ handler, event }) => `${handler}:${event.type}`)).toEqual([
      'fallback:constructor',
      'fallback:toString',
      'fallback:__proto__',
      'fallback:fallback',
    ]);
  });
});

describe('what a per-type handler receives', () => {
  it('the event, its createdAt, SNS metadata, the Lambda context, a live signal and a logger that tags its lines', async () => {
    // Prepare
    const { calls, recording } = recordingHandlers();
    const messages = await categoryFunction('messages', {
      'message.new': async (event, context) => {
        context.logger.info('handled by the customer');
        await recording('message.new')(event, context);
      },
      fallback: recording('fallback'),
    });
    const json = JSON.stringify({
      type: 'message.new',
      cid: 'messaging:general',
      created_at: '2026-11-28T10:00:00.25Z',
      message: { id: 'm1' },
    });

    // Act
    await messages.invoke(snsLambdaEvent(json, { messageId: 'context' }));

    // Assess
    const [{ event, context }] = calls as [(typeof calls)[number]];
    expect(event).toEqual(JSON.parse(json));
    expect(context.createdAt).toEqual(new Date('2026-11-28T10:00:00.250Z'));
    expect(context.sns).toMatchObject({ messageId: 'context', encoding: 'raw-json' });
    expect(context.lambdaContext.invokedFunctionArn).toMatch(/^arn:aws:lambda:/);
    expect(context.signal.aborted).toBe(false);
    const [line] = jsonLines().filter((entry) => entry.message === 'handled by the customer');
    expect(line).toMatchObject({ category: 'messages', eventType: 'message.new', cid: 'messaging:general', snsMessageId: 'context' });
  });

  it('createdAt undefined, and one WARN line with the unreadable value cut short, when created_at is not a date', async () => {
    // Prepare
    const { calls, recording } = recordingHandlers();
    const users = await categoryFunction('users', { fallback: recording('fallback') });
    const createdAt = { when: 'x'.repeat(500) };

    // Act
    await users.invoke(snsLambdaEvent(JSON.stringify({ type: 'user.updated', created_at: createdAt }), { messageId: 'odd-date' }));

    // Assess
    expect(calls[0]!.context.createdAt).toBeUndefined();
    expect(calls[0]!.event.created_at).toEqual(createdAt);
    const warnings = logLines('WARN');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.createdAt).toBe(JSON.stringify(createdAt).slice(0, 64));
  });
});

describe('what the operator reads', () => {
  it('writes no INFO line for a processed event and one for its duplicate, tagged with the duplicate delivery', async () => {
    // Prepare
    const users = await categoryFunction('users', { fallback: async () => undefined });
    const event = sampleJson('user.deleted');

    // Act
    await users.invoke(snsLambdaEvent(event, { messageId: 'first' }));
    const afterFirst = logLines('INFO');
    await users.invoke(snsLambdaEvent(event, { messageId: 'again' }));

    // Assess
    expect(afterFirst).toEqual([]);
    expect(logLines('INFO')).toEqual([expect.objectContaining({ snsMessageId: 'again', category: 'users' })]);
    expect(metricLines().map((line) => [line.ProcessedEvents, line.DuplicateEvents])).toEqual([
      [1, undefined],
      [undefined, 1],
    ]);
  });

  it('finds metrics under the StreamChatEvents namespace and log lines under the stream-chat-events service', async () => {
    // Prepare
    const users = await categoryFunction('users', { fallback: async (_event, context) => context.logger.info('done') });

    // Act
    await users.invoke(snsLambdaEvent(sampleJson('user.deleted'), { messageId: 'names' }));

    // Assess
    const [metric] = metricLines();
    expect(metric!._aws.CloudWatchMetrics[0].Namespace).toBe('StreamChatEvents');
    expect(metric).toMatchObject({ service: 'stream-chat-events', category: 'users', ProcessedEvents: 1 });
    expect(logLines('INFO')[0]).toMatchObject({ service: 'stream-chat-events', message: 'done' });
  });

  it('writes no cid on the lines of an event whose cid is not a string', async () => {
    // Prepare
    const other = await categoryFunction('other', { fallback: async (_event, context) => context.logger.info('done') });

    // Act
    await other.invoke(snsLambdaEvent(JSON.stringify({ type: 'my_app.thing', cid: 42 }), { messageId: 'numeric-cid' }));

    // Assess
    const [line] = logLines('INFO');
    expect(line).toMatchObject({ eventType: 'my_app.thing', snsMessageId: 'numeric-cid' });
    expect(line).not.toHaveProperty('cid');
  });
});

describe('skipped events, counted once a minute', () => {
  const foreign = snsLambdaEvent(sampleJson('message.new'), { messageId: 'foreign' });
  const poison = snsLambdaEvent('{"type": 42}', { messageId: 'poison' });
  const skippedLines = () =>
    metricLines()
      .filter((line) => line.SkippedEvents !== undefined)
      .map((line) => line.SkippedEvents);

  /** The function `other`, invoked at chosen times after the last count was written (the clock is faked). */
  async function invokedAtTimes() {
    vi.useFakeTimers({ toFake: ['Date'] });
    flushSkippedCounts();
    const other = await categoryFunction('other', { fallback: async () => undefined });
    const start = Date.now();
    return async (afterMs: number, lambdaEvent: unknown) => {
      vi.setSystemTime(start + afterMs);
      await other.invoke(lambdaEvent);
    };
  }

  it('writes the count on the first skipped event a full minute after the last count', async () => {
    // Prepare
    const invokeAt = await invokedAtTimes();

    // Act
    await invokeAt(59_999, foreign);
    const beforeTheMinute = skippedLines();
    await invokeAt(60_000, foreign);

    // Assess
    expect(beforeTheMinute).toEqual([]);
    expect(skippedLines()).toEqual([2]);
  });

  it('writes the pending count along with an owned event past the minute, and counts anew from there', async () => {
    // Prepare: the owned event is a poison one, kept without DynamoDB.
    const invokeAt = await invokedAtTimes();

    // Act
    await invokeAt(30_000, foreign);
    await invokeAt(60_000, poison);
    const withTheOwnedEvent = skippedLines();
    await invokeAt(90_000, foreign);

    // Assess
    expect(withTheOwnedEvent).toEqual([1]);
    expect(skippedLines()).toEqual([1]);
  });

  it('writes the first skipped event at once after a minute without any, even when owned events came between', async () => {
    // Prepare
    const invokeAt = await invokedAtTimes();

    // Act
    await invokeAt(61_000, poison);
    await invokeAt(62_000, foreign);

    // Assess
    expect(skippedLines()).toEqual([1]);
  });
});

describe('a poison delivery, as the operator finds it', () => {
  it('logs its type when one could be read, and none when not', async () => {
    // Prepare
    const messages = await categoryFunction('messages', { fallback: async () => undefined });
    const other = await categoryFunction('other', { fallback: async () => undefined });

    // Act
    await messages.invoke(snsLambdaEvent('{"type":"message.new","text":"cut', { messageId: 'typed' }));
    await other.invoke(snsLambdaEvent('{"text":"no type"}', { messageId: 'untyped' }));

    // Assess
    const [typed, untyped] = logLines('ERROR');
    expect(typed).toMatchObject({ snsMessageId: 'typed', eventType: 'message.new', reason: 'invalid_json' });
    expect(untyped).toMatchObject({ snsMessageId: 'untyped', reason: 'missing_type' });
    expect(untyped).not.toHaveProperty('eventType');
  });

  it('logs where it is kept and the first 2,048 characters of a long message, and counts it under RejectedEvents', async () => {
    // Prepare
    const other = await categoryFunction('other', { fallback: async () => undefined });
    const message = `{"type": 42, "text": "${'x'.repeat(5_000)}"}`;

    // Act
    await other.invoke(snsLambdaEvent(message, { messageId: 'long' }));

    // Assess
    const [line] = logLines('ERROR');
    expect(line!.message).toContain('rejected-deliveries queue');
    expect(line!.messageHead).toBe(message.slice(0, 2_048));
    expect(metricLines()).toEqual([expect.objectContaining({ category: 'other', RejectedEvents: 1 })]);
  });

  it('names both types of a conflicting delivery in its detail, the second cut short with its length and hash', async () => {
    // Prepare
    const messages = await categoryFunction('messages', { fallback: async () => undefined });
    const secondType = `user.${'x'.repeat(1_000)}`;

    // Act
    await messages.invoke(snsLambdaEvent(`{"type":"message.new","type":"${secondType}"}`, { messageId: 'conflict' }));

    // Assess
    const [rejection] = messages.rejections;
    expect(rejection).toMatchObject({ reason: 'conflicting_type', eventType: 'message.new' });
    expect(rejection!.detail).toContain('"message.new"');
    // The value is named as JSON, its quote included: 199 characters of the type, then what was cut.
    expect(rejection!.detail).toContain(`"${secondType.slice(0, 199)}…(${secondType.length + 2} characters, sha256 `);
    expect(rejection!.detail).not.toContain(secondType.slice(0, 200));
  });

  it('keeps a Lambda event that is not an object at all (null) as rejected, in other', async () => {
    // Prepare
    const other = await categoryFunction('other', { fallback: async () => undefined });

    // Act
    const result = await other.invoke(null);

    // Assess
    expect(result).toMatchObject({ outcome: 'rejected', category: 'other' });
    expect(other.rejections).toEqual([expect.objectContaining({ lambdaEvent: null, snsMessageId: undefined })]);
  });
});

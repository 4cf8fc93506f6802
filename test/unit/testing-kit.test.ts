/**
 * The test kit (testing/index.ts) itself: events of every catalog type from the samples with overrides, SNS
 * deliveries in every encoding that the real decoder reads back, and a category's function run in-process on
 * in-memory stores (processed, duplicate, skipped, rejected, failed; its log lines). The same chain on DynamoDB
 * Local: test/integration/handlers.test.ts and idempotency.test.ts.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, categoryOf, EVENT_TYPE_CATEGORY, type KnownEventType } from '../../shared/catalog.js';
import { decodeSnsDelivery } from '../../shared/decoder.js';
import { INJECTED_OPTIONS_KEY, streamEventFunction } from '../../shared/middleware.js';
import { logOnlyRejectedDeliveryStore } from '../../shared/rejected-deliveries.js';
import type { StreamEvent } from '../../shared/types.js';
import { categoryUnderTest, ENCODINGS, snsDelivery, streamEvent } from '../../testing/index.js';

const KNOWN_TYPES = Object.keys(EVENT_TYPE_CATEGORY) as KnownEventType[];

/**
 * A function of `category` whose every handler records the event, and throws when the event's text says so. Built
 * with stores it never uses (the kit builds it again on its own), so that it needs no environment.
 */
function recordingFunction(category: (typeof CATEGORIES)[number]) {
  const runs: StreamEvent[] = [];
  const unused = { rejectedDeliveries: logOnlyRejectedDeliveryStore, idempotency: { tableName: 'unused' } };
  const handler = streamEventFunction(
    category,
    {
      fallback: async (event, { logger }) => {
        runs.push(event);
        logger.info('Handled', { eventType: event.type });
        if ((event.message as { text?: string } | undefined)?.text === 'fail') throw new Error('search service answered 500');
      },
    },
    unused,
  );
  return { runs, handler };
}

describe('streamEvent', () => {
  it('builds an event of every catalog type, from its own sample or one of its category', () => {
    // Act
    const events = KNOWN_TYPES.map((type) => streamEvent(type));

    // Assess
    expect(events.map((event) => event.type)).toEqual(KNOWN_TYPES);
    for (const event of events) expect(typeof event.created_at).toBe('string');
    expect(streamEvent('message.new').message?.id).toBe('c51e0a2d-6b8f-4e47-9f3a-1d2b7c9e4a10');
  });

  test.prop([fc.constantFrom(...KNOWN_TYPES), fc.string(), fc.string()])(
    'merges overrides member by member, and undefined removes',
    (type, id, text) => {
      // Act
      const event = streamEvent(type, { message: { id, text }, created_at: undefined });
      const again = streamEvent(type);

      // Assess
      expect(event.message).toMatchObject({ id, text });
      expect('created_at' in event).toBe(false);
      expect(again.created_at).toBeDefined();
    },
  );
});

describe('snsDelivery', () => {
  test.prop([fc.constantFrom(...KNOWN_TYPES), fc.constantFrom(...ENCODINGS), fc.string()])(
    'wraps an event as SNS delivers it, in every encoding, and the real decoder reads the same event back',
    (type, encoding, text) => {
      // Prepare
      const event = streamEvent(type, { message: { text } });

      // Act
      const delivery = snsDelivery(event, { encoding });
      const decoded = decodeSnsDelivery(delivery);

      // Assess
      expect(decoded.event).toEqual(event);
      expect(decoded.sns.encoding).toBe(encoding);
    },
  );
});

describe('categoryUnderTest', () => {
  it('runs the handler once per event: processed, then duplicate in every other encoding', async () => {
    // Prepare
    const { runs, handler } = recordingFunction('messages');
    const messages = await categoryUnderTest(handler);
    const event = streamEvent('message.new');

    // Act
    const delivered = [];
    for (const encoding of ENCODINGS) delivered.push(await messages.deliver(event, { encoding, messageId: encoding }));

    // Assess
    expect(delivered.map((d) => d.outcome)).toEqual(['processed', 'duplicate', 'duplicate']);
    expect(runs).toHaveLength(1);
    expect(delivered[0]!.logs.find((line) => line.message === 'Handled')).toMatchObject({ category: 'messages', eventType: 'message.new' });
  });

  it("skips another category's event and keeps poison as rejected, with its reason", async () => {
    // Prepare
    const { runs, handler } = recordingFunction('other');
    const other = await categoryUnderTest(handler);

    // Act
    const foreign = await other.deliver(streamEvent('message.new'));
    const poison = await other.deliver('{"not": "a Stream event"', { encoding: 'raw-json' });

    // Assess
    expect(foreign.outcome).toBe('skipped');
    expect(poison.outcome).toBe('rejected');
    expect(poison.rejected.map((r) => r.reason)).toEqual(['invalid_json']);
    expect(other.rejected).toEqual(poison.rejected);
    expect(runs).toEqual([]);
  });

  it('reports a failing handler as failed with its error, and runs it again on the retry', async () => {
    // Prepare
    const { runs, handler } = recordingFunction('messages');
    const messages = await categoryUnderTest(handler);
    const event = streamEvent('message.new', { message: { text: 'fail' } });

    // Act
    const first = await messages.deliver(event);
    const retry = await messages.deliver(event);

    // Assess
    expect([first.outcome, retry.outcome]).toEqual(['failed', 'failed']);
    expect(first.error?.message).toBe('search service answered 500');
    expect(runs).toHaveLength(2);
  });

  it('refuses what streamEventFunction did not build', async () => {
    // Act
    const refused = categoryUnderTest(async () => ({ handler: () => undefined }));
    const nothing = categoryUnderTest(undefined);

    // Assess: the kit's own message, not a failure to read a property of undefined.
    await expect(refused).rejects.toBeInstanceOf(TypeError);
    await expect(nothing).rejects.toThrow('categoryUnderTest takes a handler built by streamEventFunction, or a loader of its module');
  });

  it('gives every category of the catalog its own events, deliveries at once taking turns', async () => {
    for (const category of CATEGORIES) {
      // Prepare
      const fn = await categoryUnderTest(recordingFunction(category).handler);
      const own = KNOWN_TYPES.filter((type) => categoryOf(type) === category);

      // Act
      const outcomes = await Promise.all(own.map(async (type) => (await fn.deliver(streamEvent(type))).outcome));

      // Assess
      expect(new Set(outcomes)).toEqual(new Set(own.length === 0 ? [] : ['processed']));
    }
  });
});

describe('categoryUnderTest, loading a handler module', () => {
  it('loads modules at once with no settings in the environment, and takes its injected stores back after the last', async () => {
    // Prepare
    const global = globalThis as Record<symbol, unknown>;
    const before = global[INJECTED_OPTIONS_KEY];
    const loads = CATEGORIES.map((category) => () => import(`../../functions/${category}/handler.ts`));

    // Act
    const loaded = await Promise.all(loads.map((load) => categoryUnderTest(load)));

    // Assess
    expect(loaded.map((fn) => fn.category).sort()).toEqual([...CATEGORIES].sort());
    expect(global[INJECTED_OPTIONS_KEY]).toBe(before);
    expect(process.env.IDEMPOTENCY_TABLE).toBeUndefined();
  });
});

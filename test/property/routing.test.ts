/**
 * Routing never drops an event silently (issue 23, "Tests that must exist", first bullet), as a property over
 * every catalog type, unknown types, custom events, a missing type and poison, in every mode, in all three
 * encodings: each delivery goes to the topics the stack's hooks send it to and, from each, to that topic's
 * subscribers (shared/routing.ts: the routing the local run uses), and each function runs its real middleware chain.
 *
 * What is expected is written here, from the catalog and the table of modes below, not from shared/routing.ts:
 * - a decodable delivery: exactly one function runs the handler, the owner of its type; the functions that receive
 *   it without running it are exactly the mode's allowed droppers; none rejects it;
 * - poison: no handler runs; in per-category modes every function that receives it keeps it as rejected; in
 *   single-topic mode (all five on one topic) exactly one keeps it and the four others drop it;
 * - a type that no hook lists (a narrowed `streamEventTypes`) reaches no function, as docs/routing.md states.
 *
 * The table is an in-memory stand-in (every write succeeds, every read finds nothing) so that thousands of
 * deliveries fit in seconds; test/integration holds the same chain against DynamoDB Local.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { encodeMessage, lambdaContext, snsLambdaEvent } from '../../emulator/index.js';
import { CATEGORIES, type Category, EVENT_TYPE_CATEGORY } from '../../shared/catalog.js';
import { decodeSnsDelivery } from '../../shared/decoder.js';
import { streamEventFunction } from '../../shared/middleware.js';
import { deliveryTopic, type RoutingSettings, subscribersOf, topicsCarrying, wantedHooks } from '../../shared/routing.js';
import { type CategoryHandlers, type InvocationResult, MessageEncoding } from '../../shared/types.js';
import { acceptingDynamoDB } from '../support/accepting-dynamodb.js';
import { snsMessage } from './deliveries.js';

/** Generated deliveries per mode. The mutation run asks for fewer through PROPERTY_RUNS. */
const RUNS = Math.ceil(Number(process.env.PROPERTY_RUNS ?? 10_000) / 10);

const EVENTS_TOPIC_NAME = 'stream-chat-events-dev-events';
const EVENTS_TOPIC_ARN = `arn:aws:sns:us-east-1:111122223333:${EVENTS_TOPIC_NAME}`;
const NAMED = CATEGORIES.filter((category) => category !== 'other');
const CATALOG = EVENT_TYPE_CATEGORY as Record<string, Category>;
const known = (type: string) => Object.hasOwn(CATALOG, type);
const categoryOfType = (type: string): Category => (known(type) ? CATALOG[type]! : 'other');
const NARROWED = ['message.new', 'user.banned', 'reminder.created'];

/** One mode as this test expects it to behave, written out by hand. */
interface ModeRow {
  settings: RoutingSettings;
  /** The functions a decodable event of `type` reaches. */
  receivers: (type: string) => Category[];
  /** The functions a poison delivery (its type unknown to Stream's routing: the worst case) reaches. */
  poisonReceivers: Category[];
  /** The functions that may receive an event of `type` and drop it. */
  droppers: (type: string) => Category[];
  /** Whether every function that receives poison keeps it (else exactly one does). */
  everyReceiverKeepsPoison: boolean;
}

const MODES: Record<string, ModeRow> = {
  'single-topic': {
    settings: { mode: 'single-topic', catchAll: true, streamEventTypes: [] },
    receivers: () => [...CATEGORIES],
    poisonReceivers: [...CATEGORIES],
    droppers: (type) => CATEGORIES.filter((category) => category !== categoryOfType(type)),
    everyReceiverKeepsPoison: false,
  },
  'per-category': {
    settings: { mode: 'per-category', catchAll: true, streamEventTypes: [] },
    receivers: (type) => (categoryOfType(type) === 'other' ? ['other'] : [categoryOfType(type), 'other']),
    poisonReceivers: [...CATEGORIES],
    droppers: (type) => (categoryOfType(type) === 'other' ? [] : ['other']),
    everyReceiverKeepsPoison: true,
  },
  'per-category, catchAll false': {
    settings: { mode: 'per-category', catchAll: false, streamEventTypes: [] },
    // An unknown type is a custom event here: the events topic's hook sends custom events (the stand-in's model).
    receivers: (type) => [categoryOfType(type)],
    poisonReceivers: [...CATEGORIES],
    droppers: () => [],
    everyReceiverKeepsPoison: true,
  },
  'per-category, narrowed': {
    settings: { mode: 'per-category', catchAll: true, streamEventTypes: NARROWED },
    receivers: (type) => (NARROWED.includes(type) ? [categoryOfType(type)] : []),
    poisonReceivers: [...new Set(NARROWED.map(categoryOfType))],
    droppers: () => [],
    everyReceiverKeepsPoison: true,
  },
};

const dynamoDB = acceptingDynamoDB();

/** The five functions of a stack in one mode, their handlers counting runs. */
function stackIn(settings: RoutingSettings) {
  const runs: Category[] = [];
  const functions = new Map(
    CATEGORIES.map((category) => [
      category,
      streamEventFunction(category, { fallback: async () => void runs.push(category) } as CategoryHandlers<Category>, {
        idempotency: { tableName: 'property-routing', dynamoDB },
        rejectedDeliveries: { keep: async () => undefined },
        routing: { ...settings, eventsTopicName: EVENTS_TOPIC_NAME },
      }),
    ]),
  );
  const hooks = wantedHooks(EVENTS_TOPIC_ARN, settings);
  /** Delivers one message as Stream and SNS would; answers each receiving function's outcome. */
  async function deliver(message: string, streamType: string | undefined): Promise<{ outcomes: Map<Category, string>; runs: Category[] }> {
    runs.length = 0;
    const outcomes = new Map<Category, string>();
    for (const topicArn of topicsCarrying(streamType, hooks)) {
      for (const category of subscribersOf(deliveryTopic(topicArn, EVENTS_TOPIC_NAME), settings.mode)) {
        const lambdaEvent = snsLambdaEvent(message, { messageId: `m-${topicArn}`, topicArn });
        let outcome: string;
        try {
          outcome = ((await functions.get(category)!(lambdaEvent, lambdaContext())) as InvocationResult).outcome;
        } catch (error) {
          outcome = `failed: ${(error as Error).message}`;
        }
        expect(outcomes.has(category), `${category} received the delivery twice`).toBe(false);
        outcomes.set(category, outcome);
      }
    }
    return { outcomes, runs: [...runs] };
  }
  return { deliver };
}

const catalogType = fc.constantFrom(...Object.keys(EVENT_TYPE_CATEGORY));
const unknownType = fc.oneof(
  fc.constantFrom('custom.thing', 'my_app.order_paid', 'constructor', '__proto__'),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const eventJson = fc
  .record({
    type: fc.oneof({ weight: 4, arbitrary: catalogType }, { weight: 1, arbitrary: unknownType }),
    cid: fc.string(),
    n: fc.integer(),
  })
  .map((event) => JSON.stringify(event));
const poisonJson = fc.oneof(
  fc.constant('{"cid":"messaging:x"}'),
  catalogType.chain((first) => catalogType.filter((second) => second !== first).map((second) => `{"type":"${first}","type":"${second}"}`)),
  fc.constantFrom('[]', 'null', '{"type":7}', '{"type":""}', 'not json'),
);
/** An SNS message: a Stream event or poison in one of Stream's encodings, or any text at all. */
const message = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.oneof({ weight: 3, arbitrary: eventJson }, poisonJson), fc.constantFrom(...Object.values(MessageEncoding)))
      .map(([json, encoding]) => encodeMessage(json, encoding)),
  },
  { weight: 1, arbitrary: snsMessage },
);

/** The event's type when the delivery decodes; undefined for poison. */
function decodedType(text: string): string | undefined {
  try {
    return decodeSnsDelivery(snsLambdaEvent(text, { messageId: 'probe' })).event.type;
  } catch {
    return undefined;
  }
}

const sorted = (categories: Iterable<Category>) => [...categories].sort();

describe('routing never drops an event silently', () => {
  for (const [name, row] of Object.entries(MODES)) {
    const stack = stackIn(row.settings);

    test.prop([message], { numRuns: RUNS })(`${name}: one run per event, only the allowed droppers, poison kept`, async (text) => {
      // Prepare
      const type = decodedType(text);

      // Act
      const { outcomes, runs } = await stack.deliver(text, type);

      // Assess
      const by = (outcome: string) => sorted([...outcomes].filter(([, found]) => found === outcome).map(([category]) => category));
      if (type !== undefined) {
        const receivers = row.receivers(type);
        expect(sorted(outcomes.keys())).toEqual(sorted(receivers));
        expect(runs).toEqual(receivers.length === 0 ? [] : [categoryOfType(type)]);
        expect(by('processed')).toEqual(runs);
        expect(by('skipped')).toEqual(sorted(receivers.filter((category) => row.droppers(type).includes(category))));
        expect(outcomes.size).toBe(runs.length + by('skipped').length);
      } else {
        expect(sorted(outcomes.keys())).toEqual(sorted(row.poisonReceivers));
        expect(runs).toEqual([]);
        if (row.everyReceiverKeepsPoison) expect(by('rejected')).toEqual(sorted(row.poisonReceivers));
        else {
          expect(by('rejected')).toHaveLength(1);
          expect(by('skipped')).toHaveLength(CATEGORIES.length - 1);
        }
      }
    });
  }

  test('the table covers every named category and keeps its droppers among its receivers', () => {
    // Assess: a check on the table itself, so that a mistake in it cannot make the property vacuous.
    for (const row of Object.values(MODES)) {
      for (const type of Object.keys(EVENT_TYPE_CATEGORY)) {
        for (const dropper of row.droppers(type)) expect(row.receivers(type)).toContain(dropper);
      }
    }
    expect(
      NAMED.every((category) =>
        MODES['per-category']!.receivers(Object.keys(CATALOG).find((type) => CATALOG[type] === category)!).includes(category),
      ),
    ).toBe(true);
  });
});

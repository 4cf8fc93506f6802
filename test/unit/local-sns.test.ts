/**
 * The local run's routing (emulator/local-sns.ts): which topics Stream publishes a delivery to, which functions each
 * topic invokes, and the topic ARN each record carries. The expectations come from the catalog and the table of
 * modes below, written here, not from shared/routing.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressedFrom,
  archivedTopicArns,
  encodeMessage,
  localRouting,
  publicationsOf,
  snsLambdaEvent,
  streamTypeOf,
} from '../../emulator/index.js';
import { CATEGORIES, EVENT_TYPE_CATEGORY } from '../../shared/catalog.js';
import { RoutingMode, type RoutingSettings } from '../../shared/routing.js';
import { MessageEncoding } from '../../shared/types.js';

const EVENTS = 'arn:aws:sns:us-east-1:111122223333:stream-chat-events-dev-events';
const NAMED = CATEGORIES.filter((category) => category !== 'other');
const OTHER_TYPES = Object.keys(EVENT_TYPE_CATEGORY).filter(
  (type) => EVENT_TYPE_CATEGORY[type as keyof typeof EVENT_TYPE_CATEGORY] === 'other',
);
const NAMED_TYPES = Object.keys(EVENT_TYPE_CATEGORY).filter((type) => !OTHER_TYPES.includes(type));
const categoryOfType = (type: string) => EVENT_TYPE_CATEGORY[type as keyof typeof EVENT_TYPE_CATEGORY] ?? 'other';

/**
 * The modes as the README states them: for a decodable event of a type, the topic → functions it reaches. A named
 * type reaches its own topic (per-category) and the catch-all unless catchAll is false; anything else reaches the
 * events topic; single-topic sends everything to every function on the events topic.
 */
const MODES: Record<string, { settings: RoutingSettings; reaches(type: string): Record<string, string[]> }> = {
  'per-category': {
    settings: { mode: RoutingMode.PerCategory, catchAll: true, streamEventTypes: [] },
    reaches: (type) => {
      const category = categoryOfType(type);
      return category === 'other' ? { [EVENTS]: ['other'] } : { [`${EVENTS}-${category}`]: [category], [EVENTS]: ['other'] };
    },
  },
  'per-category, catchAll false': {
    settings: { mode: RoutingMode.PerCategory, catchAll: false, streamEventTypes: [] },
    reaches: (type) => {
      const category = categoryOfType(type);
      return category === 'other' ? { [EVENTS]: ['other'] } : { [`${EVENTS}-${category}`]: [category] };
    },
  },
  'single-topic': {
    settings: { mode: RoutingMode.SingleTopic, catchAll: true, streamEventTypes: [] },
    reaches: () => ({ [EVENTS]: [...CATEGORIES] }),
  },
};

const delivery = (json: string, encoding: MessageEncoding = MessageEncoding.Base64Gzip) =>
  JSON.stringify(snsLambdaEvent(encodeMessage(json, encoding), { messageId: 'b5b2c1c4-0000-4000-8000-000000000001', topicArn: EVENTS }));
const eventOf = (type: string) => JSON.stringify({ type, created_at: '2026-07-14T12:00:00.000Z', user: { id: 'u1' } });
/** Topic → subscribers, and the TopicArn each publication's record carries. */
const reached = (lambdaEvent: string, settings: RoutingSettings) => {
  const publications = publicationsOf(lambdaEvent, localRouting(EVENTS, settings));
  return {
    topics: Object.fromEntries(publications.map((p) => [p.topicArn, p.subscribers])),
    carried: publications.map((p) => [
      p.topicArn,
      (JSON.parse(p.lambdaEvent) as { Records: [{ Sns: { TopicArn: string } }] }).Records[0].Sns.TopicArn,
    ]),
  };
};

describe('publicationsOf', () => {
  it.each(Object.keys(MODES))(
    '%s: every catalog type, an unknown type and a custom one reach the topics and functions the mode says',
    (mode) => {
      const anyType = fc.oneof(fc.constantFrom(...Object.keys(EVENT_TYPE_CATEGORY)), fc.constantFrom('call.started', 'my_app.custom'));
      const anyEncoding = fc.constantFrom(...Object.values(MessageEncoding));
      fc.assert(
        fc.property(anyType, anyEncoding, (type, encoding) => {
          // Act
          const { topics, carried } = reached(delivery(eventOf(type), encoding), MODES[mode]!.settings);

          // Assess
          expect(topics).toEqual(MODES[mode]!.reaches(type));
          for (const [topicArn, carriedArn] of carried) expect(carriedArn).toBe(topicArn);
        }),
      );
    },
  );

  it('per-category: a delivery whose type cannot be read goes to every topic, each invoking its function', () => {
    // Prepare: not JSON, and JSON without a type.
    const poisons = [delivery('not json at all'), delivery(JSON.stringify({ created_at: '2026-07-14T12:00:00.000Z' }))];

    for (const poison of poisons) {
      // Act
      const { topics } = reached(poison, MODES['per-category']!.settings);

      // Assess
      expect(topics).toEqual({
        ...Object.fromEntries(NAMED.map((category) => [`${EVENTS}-${category}`, [category]])),
        [EVENTS]: ['other'],
      });
    }
  });

  it('single-topic: the one publication is the delivery byte for byte, as today', () => {
    // Prepare
    const lambdaEvent = delivery(eventOf('message.new'));

    // Act
    const publications = publicationsOf(lambdaEvent, localRouting(EVENTS, MODES['single-topic']!.settings));

    // Assess
    expect(publications).toEqual([{ topicArn: EVENTS, subscribers: [...CATEGORIES], lambdaEvent }]);
  });

  it('narrowed to two types: a type left out is not published at all; the kept ones reach their hooks', () => {
    // Prepare
    const settings = { mode: RoutingMode.PerCategory, catchAll: true, streamEventTypes: ['message.new', OTHER_TYPES[0]!] };

    // Act
    const left = reached(delivery(eventOf(NAMED_TYPES.find((type) => type !== 'message.new')!)), settings);
    const kept = reached(delivery(eventOf('message.new')), settings);
    const keptOther = reached(delivery(eventOf(OTHER_TYPES[0]!)), settings);

    // Assess
    expect(left.topics).toEqual({});
    expect(kept.topics).toEqual({ [`${EVENTS}-messages`]: ['messages'] });
    expect(keptOther.topics).toEqual({ [EVENTS]: ['other'] });
  });

  it('a drifted hook list sends a type to the wrong category topic, and no longer to its own', () => {
    // Prepare: message.new moved from the messages hook's list to the users hook's, as Stream would hold a drifted app.
    const settings = MODES['per-category, catchAll false']!.settings;
    const routing = localRouting(EVENTS, settings);
    const drifted = routing.hooks.map((hook) => ({
      ...hook,
      eventTypes: hook.role === 'users' ? [...hook.eventTypes, 'message.new'] : hook.eventTypes.filter((type) => type !== 'message.new'),
    }));

    // Act
    const publications = publicationsOf(delivery(eventOf('message.new')), localRouting(EVENTS, settings, drifted));

    // Assess
    expect(publications.map((p) => [p.topicArn, p.subscribers])).toEqual([[`${EVENTS}-users`, ['users']]]);
  });
});

describe('streamTypeOf', () => {
  it('reads the type Stream routes by, in every encoding, and the first type of a poison delivery', () => {
    // Act and assess
    for (const encoding of Object.values(MessageEncoding))
      expect(streamTypeOf(delivery(eventOf('user.banned'), encoding))).toBe('user.banned');
    expect(streamTypeOf(delivery('{"type":"message.new","type":"user.banned"}'))).toBe('message.new');
    expect(streamTypeOf(delivery('not json'))).toBeUndefined();
    expect(streamTypeOf('{"Records": [')).toBeUndefined();
  });
});

describe('addressedFrom', () => {
  it("sets the record's TopicArn and its subscription's, keeping the subscription id and everything else", () => {
    // Prepare
    const lambdaEvent = delivery(eventOf('message.new'));
    const topic = `${EVENTS}-messages`;

    // Act
    const addressed = JSON.parse(addressedFrom(lambdaEvent, topic)) as {
      Records: [{ Sns: Record<string, unknown>; EventSubscriptionArn: string }];
    };

    // Assess
    const original = JSON.parse(lambdaEvent) as { Records: [{ Sns: Record<string, unknown>; EventSubscriptionArn: string }] };
    expect(addressed.Records[0].Sns).toEqual({ ...original.Records[0].Sns, TopicArn: topic });
    expect(addressed.Records[0].EventSubscriptionArn).toBe(`${topic}:00000000-0000-4000-8000-000000000000`);
  });

  it('leaves alone, byte for byte, what is already addressed and what is no SNS event', () => {
    // Prepare
    const texts = [delivery(eventOf('message.new')), 'not json', '{"Records":"x"}', '{"Records":[{"body":"from sqs"}]}', 'null'];

    // Act and assess
    for (const text of texts) expect(addressedFrom(text, EVENTS)).toBe(text);
  });
});

describe('archivedTopicArns', () => {
  it('is the events topic when its hook takes every type, else every topic a hook publishes to', () => {
    // Prepare
    const routingOf = (settings: RoutingSettings) => localRouting(EVENTS, settings);
    const perCategoryTopics = [...NAMED.map((category) => `${EVENTS}-${category}`), EVENTS];

    // Act and assess
    expect(archivedTopicArns(routingOf(MODES['single-topic']!.settings))).toEqual([EVENTS]);
    expect(archivedTopicArns(routingOf(MODES['per-category']!.settings))).toEqual([EVENTS]);
    expect(archivedTopicArns(routingOf(MODES['per-category, catchAll false']!.settings)).sort()).toEqual(perCategoryTopics.sort());
    expect(
      archivedTopicArns(routingOf({ ...MODES['per-category']!.settings, streamEventTypes: ['message.new', 'reminder.created'] })).sort(),
    ).toEqual([`${EVENTS}-messages`, EVENTS].sort());
  });
});

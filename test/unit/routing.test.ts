import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, EVENT_TYPE_CATEGORY } from '../../shared/catalog.js';
import { RoutingListError } from '../../shared/errors.js';
import {
  checkHookLists,
  deliveryTopic,
  droppedOnEventsTopic,
  RoutingMode,
  subscribersOf,
  topicsCarrying,
  wantedHooks,
} from '../../shared/routing.js';

const EVENTS = 'arn:aws:sns:eu-west-1:123456789012:stream-chat-events-prod-events';
// Expectations come from the catalog itself, not from the module under test.
const typesOf = (category: string) =>
  Object.entries(EVENT_TYPE_CATEGORY)
    .filter(([, owner]) => owner === category)
    .map(([type]) => type)
    .sort();
const named = CATEGORIES.filter((category) => category !== 'other');

describe('wantedHooks', () => {
  it('per-category: one hook per named category on its own topic with its sorted list, and the catch-all', () => {
    // Act
    const hooks = wantedHooks(EVENTS, { mode: RoutingMode.PerCategory, catchAll: true, streamEventTypes: [] });
    // Assess
    expect(hooks).toEqual([
      ...named.map((category) => ({
        topicArn: `${EVENTS}-${category}`,
        role: category,
        eventTypes: typesOf(category),
        sendCustomEvents: false,
      })),
      { topicArn: EVENTS, role: 'catch-all', eventTypes: [], sendCustomEvents: true },
    ]);
  });

  it('catchAll false: the events topic lists exactly the other types, custom events on', () => {
    const hooks = wantedHooks(EVENTS, { mode: RoutingMode.PerCategory, catchAll: false, streamEventTypes: [] });
    expect(hooks.at(-1)).toEqual({ topicArn: EVENTS, role: 'catch-all', eventTypes: typesOf('other'), sendCustomEvents: true });
  });

  it('single-topic: one hook on the events topic, every event', () => {
    const hooks = wantedHooks(EVENTS, { mode: RoutingMode.SingleTopic, catchAll: true, streamEventTypes: [] });
    expect(hooks).toEqual([{ topicArn: EVENTS, role: 'catch-all', eventTypes: [], sendCustomEvents: true }]);
  });

  it('narrowing keeps each list to the intersection and never leaves an empty list that would mean every event', () => {
    // Prepare: one messages type, one other type, a custom type, a repeat, whitespace
    const narrowed = [' message.new', 'export.users.success', 'my.custom', 'message.new'];
    // Act
    const hooks = wantedHooks(EVENTS, { mode: RoutingMode.PerCategory, catchAll: true, streamEventTypes: narrowed });
    // Assess
    expect(hooks).toEqual([
      { topicArn: `${EVENTS}-messages`, role: 'messages', eventTypes: ['message.new'], sendCustomEvents: false },
      { topicArn: EVENTS, role: 'catch-all', eventTypes: ['export.users.success', 'my.custom'], sendCustomEvents: false },
    ]);
  });

  it('single-topic with narrowing: the one hook lists the narrowed types, custom events off', () => {
    const hooks = wantedHooks(EVENTS, { mode: RoutingMode.SingleTopic, catchAll: true, streamEventTypes: ['user.banned', 'message.new'] });
    expect(hooks).toEqual([{ topicArn: EVENTS, role: 'catch-all', eventTypes: ['message.new', 'user.banned'], sendCustomEvents: false }]);
  });

  it('reads a narrowing of only blank entries as no narrowing: every event', () => {
    // Act
    const blank = wantedHooks(EVENTS, { mode: RoutingMode.PerCategory, catchAll: true, streamEventTypes: ['', '  '] });

    // Assess
    expect(blank).toEqual(wantedHooks(EVENTS, { mode: RoutingMode.PerCategory, catchAll: true, streamEventTypes: [] }));
  });

  it('a narrowing to named types only registers no catch-all at all', () => {
    const hooks = wantedHooks(EVENTS, { mode: RoutingMode.PerCategory, catchAll: true, streamEventTypes: ['user.banned'] });
    expect(hooks.map((hook) => [hook.role, hook.eventTypes])).toEqual([['moderation', ['user.banned']]]);
  });

  it('for any narrowing, no hook but the deliberate catch-all has an empty list, and every wanted type has exactly one hook', () => {
    const anyType = fc.oneof(fc.constantFrom(...Object.keys(EVENT_TYPE_CATEGORY)), fc.string({ minLength: 1, maxLength: 12 }));
    fc.assert(
      fc.property(
        fc.array(anyType, { maxLength: 20 }),
        fc.boolean(),
        fc.constantFrom(...Object.values(RoutingMode)),
        (types, catchAll, mode) => {
          const hooks = wantedHooks(EVENTS, { mode, catchAll, streamEventTypes: types });
          const wanted = [...new Set(types.map((type) => type.trim()).filter(Boolean))];
          for (const hook of hooks) {
            if (hook.eventTypes.length === 0) expect(wanted).toEqual([]);
          }
          for (const type of wanted) {
            const carrying = hooks.filter((hook) => hook.eventTypes.includes(type));
            expect(carrying).toHaveLength(1);
          }
        },
      ),
    );
  });
});

describe('checkHookLists', () => {
  it('refuses a type on two named lists, naming it and both categories', () => {
    const lists = named.map((category) => ({ role: category, eventTypes: typesOf(category) }));
    lists[1]!.eventTypes.push('message.new');
    expect(() => checkHookLists(lists)).toThrow(RoutingListError);
    expect(() => checkHookLists(lists)).toThrow(/"message.new".*messages.*channels/);
  });

  it('refuses the named types that no list carries, naming each', () => {
    const lists = named.map((category) => ({
      role: category,
      eventTypes: typesOf(category).filter((type) => type !== 'user.banned' && type !== 'message.new'),
    }));
    expect(() => checkHookLists(lists)).toThrow(`no named category's hook lists "message.new", "user.banned"`);
  });

  it('refuses types on a named list that the catalog does not give a named category, naming each, as RoutingListError', () => {
    // Prepare: an other type and a custom one on the messages hook's list.
    const lists = named.map((category) => ({ role: category, eventTypes: typesOf(category) }));
    lists[0]!.eventTypes.push('export.users.success', 'my.custom');

    // Act
    let failure: unknown;
    try {
      checkHookLists(lists);
    } catch (error) {
      failure = error;
    }

    // Assess: the name is what the setup's and the packaging's logs show.
    expect(failure).toBeInstanceOf(RoutingListError);
    expect(failure).toMatchObject({
      name: 'RoutingListError',
      message:
        `the Stream hooks' event type lists are inconsistent: the named hooks list types the catalog does not name: ` +
        `"export.users.success", "my.custom" (shared/catalog.ts gives each type one category)`,
    });
  });

  it("accepts a type repeated within one category's list", () => {
    const lists = named.map((category) => ({ role: category, eventTypes: typesOf(category) }));
    lists[0]!.eventTypes.push(lists[0]!.eventTypes[0]!);
    expect(() => checkHookLists(lists)).not.toThrow();
  });
});

describe('droppedOnEventsTopic', () => {
  it('per-category with the catch-all: the named types, which reach their own functions', () => {
    const dropped = droppedOnEventsTopic({ mode: RoutingMode.PerCategory, catchAll: true, streamEventTypes: [] });
    expect([...dropped].sort()).toEqual(named.flatMap(typesOf).sort());
  });

  it('narrowed: only the named types on the narrowed lists, never the types the catch-all itself carries', () => {
    const dropped = droppedOnEventsTopic({
      mode: RoutingMode.PerCategory,
      catchAll: true,
      streamEventTypes: ['message.new', 'export.users.success', 'my.custom'],
    });
    expect([...dropped]).toEqual(['message.new']);
  });

  it('drops nothing in single-topic mode, where every function gets every event, or without the catch-all', () => {
    expect([...droppedOnEventsTopic({ mode: RoutingMode.SingleTopic, catchAll: true, streamEventTypes: [] })]).toEqual([]);
    expect([...droppedOnEventsTopic({ mode: RoutingMode.PerCategory, catchAll: false, streamEventTypes: [] })]).toEqual([]);
  });
});

describe('deliveryTopic and subscribersOf', () => {
  it('tells a category topic by its name, and treats anything else as the events topic', () => {
    expect(deliveryTopic(`${EVENTS}-users`, 'stream-chat-events-prod-events')).toEqual({ kind: 'category', category: 'users' });
    expect(deliveryTopic(EVENTS, 'stream-chat-events-prod-events')).toEqual({ kind: 'events' });
    expect(deliveryTopic(`${EVENTS}-other`, 'stream-chat-events-prod-events')).toEqual({ kind: 'events' });
    expect(deliveryTopic(undefined, 'stream-chat-events-prod-events')).toEqual({ kind: 'events' });
    expect(deliveryTopic('arn:aws:sns:eu-west-1:1:another-events-users', 'stream-chat-events-prod-events')).toEqual({ kind: 'events' });
  });

  it('subscribes every function to the events topic in single-topic mode, only other in per-category mode', () => {
    expect(subscribersOf({ kind: 'events' }, RoutingMode.SingleTopic)).toEqual([...CATEGORIES]);
    expect(subscribersOf({ kind: 'events' }, RoutingMode.PerCategory)).toEqual(['other']);
    expect(subscribersOf({ kind: 'category', category: 'users' }, RoutingMode.PerCategory)).toEqual(['users']);
    expect(subscribersOf({ kind: 'category', category: 'users' }, RoutingMode.SingleTopic)).toEqual([]);
  });
});

describe('topicsCarrying', () => {
  const perCategory = wantedHooks(EVENTS, { mode: RoutingMode.PerCategory, catchAll: true, streamEventTypes: [] });
  const exact = wantedHooks(EVENTS, { mode: RoutingMode.PerCategory, catchAll: false, streamEventTypes: [] });

  it('sends a named type to its topic and the catch-all, an other type to the events topic only', () => {
    expect(topicsCarrying('message.new', perCategory)).toEqual([`${EVENTS}-messages`, EVENTS]);
    expect(topicsCarrying('export.users.success', perCategory)).toEqual([EVENTS]);
    expect(topicsCarrying('message.new', exact)).toEqual([`${EVENTS}-messages`]);
  });

  it('sends a custom type to hooks that send custom events, and an unreadable type everywhere', () => {
    expect(topicsCarrying('my.custom', exact)).toEqual([EVENTS]);
    expect(topicsCarrying(undefined, perCategory)).toEqual(perCategory.map((hook) => hook.topicArn));
  });
});

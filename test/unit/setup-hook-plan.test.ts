/**
 * The plan of the setup's writes, on generated apps: whatever hooks an app holds (other teams' hooks of every type,
 * none, one or several of ours, under Stream-made ids or ours), the planned changes leave exactly one hook for our
 * topic with our settings (apply), none with our ids (remove), or what was there before (undo), name no other hook,
 * and plan nothing more once applied.
 */
import { fc, it } from '@fast-check/vitest';
import type { EventHook } from 'stream-chat';
import { describe, expect } from 'vitest';
import { hookIdFor } from '../../functions/setup/hook-id.js';
import {
  type AdoptedHook,
  checksOf,
  differentFields,
  type HookSettings,
  hooksAfter,
  planApply as planApplyOfWanted,
  planRemove as planRemoveOfIds,
  planUndo,
  stackHookIds,
  syncsUncategorised,
  type WantedHook,
  wantedHooks,
} from '../../functions/setup/hook-plan.js';
import { catalogTypesOf } from '../../shared/routing.js';

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events';
const REGION = 'eu-west-1';

const otherHook: fc.Arbitrary<EventHook> = fc.oneof(
  fc.record({ id: fc.uuid(), hook_type: fc.constant('webhook' as const), webhook_url: fc.webUrl(), enabled: fc.boolean() }),
  fc.record({
    id: fc.uuid(),
    hook_type: fc.constant('sqs' as const),
    sqs_queue_url: fc.webUrl(),
    sqs_key: fc.string(),
    sqs_secret: fc.string(),
  }),
  fc.record({ id: fc.uuid(), hook_type: fc.constant('pending_message' as const), webhook_url: fc.webUrl(), timeout_ms: fc.nat() }),
  fc.record({
    id: fc.uuid(),
    hook_type: fc.constant('sns' as const),
    sns_topic_arn: fc.constantFrom(`${TOPIC}-other`, 'arn:aws:sns:us-east-1:444455556666:someone-else'),
    sns_auth_type: fc.constantFrom('resource', 'keys'),
  }),
);
const ourHook: fc.Arbitrary<EventHook> = fc.record({
  id: fc.oneof(fc.uuid(), fc.constant(hookIdFor(TOPIC))),
  hook_type: fc.constant('sns' as const),
  enabled: fc.boolean(),
  sns_topic_arn: fc.constant(TOPIC),
  sns_region: fc.constantFrom(REGION, 'us-east-1'),
  sns_auth_type: fc.constantFrom('resource', 'keys'),
  event_types: fc.subarray(['message.new', 'user.banned', 'channel.created']),
});
/** An app: other hooks and 0 to 4 of ours, interleaved, ids unique as Stream keeps them. */
const app = fc
  .tuple(fc.array(otherHook, { maxLength: 6 }), fc.array(ourHook, { maxLength: 4 }))
  .chain(([others, ours]) => fc.shuffledSubarray([...others, ...ours], { minLength: others.length + ours.length }))
  .filter((hooks) => new Set(hooks.map((hook) => hook.id)).size === hooks.length);
const settings: fc.Arbitrary<HookSettings> = fc.oneof(
  fc.record({
    topicArn: fc.constant(TOPIC),
    authType: fc.constant('resource' as const),
    routing: fc.constantFrom('single-topic' as const, 'per-category' as const),
    catchAll: fc.boolean(),
    eventTypes: fc.subarray(['message.new', 'user.banned']),
  }),
  fc.record({
    topicArn: fc.constant(TOPIC),
    authType: fc.constant('keys' as const),
    routing: fc.constantFrom('single-topic' as const, 'per-category' as const),
    catchAll: fc.boolean(),
    eventTypes: fc.constant<string[]>([]),
    snsKey: fc.constantFrom('AKIAONE', 'AKIATWO'),
    snsSecret: fc.constant('s'),
  }),
);
/**
 * Ours, for apply: one of the stack's ids, or an SNS hook for a topic the mode wants (by default every topic of the
 * stack: events, named categories). An SNS hook under another id for a topic the mode does not want is not ours.
 */
const STACK_TOPICS = [TOPIC, ...['messages', 'channels', 'users', 'moderation'].map((category) => `${TOPIC}-${category}`)];
const isOurHook = (hook: EventHook, topics: readonly string[] = STACK_TOPICS) =>
  stackHookIds(TOPIC).includes(hook.id!) || (hook.hook_type === 'sns' && topics.includes(String(hook.sns_topic_arn)));
const othersOf = (hooks: EventHook[], topics: readonly string[] = STACK_TOPICS) => hooks.filter((hook) => !isOurHook(hook, topics));
const planApply = (hooks: EventHook[], settings: HookSettings, region: string, compareSecret = true) =>
  planApplyOfWanted(hooks, wantedHooks(settings, region), { compareSecret }, stackHookIds(TOPIC));
const planRemove = (hooks: EventHook[], topicArn: string) => planRemoveOfIds(hooks, stackHookIds(topicArn));

describe('hook plan: apply', () => {
  it.prop([app, settings])(
    "leaves exactly one hook per topic of the mode, with the settings, no other of the stack's, and every other hook as it was",
    (hooks, settings) => {
      // Prepare
      const wanted = wantedHooks(settings, REGION);
      const topics = wanted.map(({ topicArn }) => topicArn);

      // Act
      const { changes } = planApply(hooks, settings, REGION);
      const after = hooksAfter(hooks, changes);

      // Assess
      const ours = after.filter((hook) => isOurHook(hook, topics));
      expect(ours.map((hook) => hook.sns_topic_arn).sort()).toEqual(wanted.map(({ topicArn }) => topicArn).sort());
      for (const hook of wanted) {
        const current = ours.find((found) => found.sns_topic_arn === hook.topicArn);
        expect(current).toMatchObject({
          enabled: true,
          sns_region: REGION,
          sns_auth_type: settings.authType,
          event_types: hook.eventTypes,
        });
        // A hook without the field already has what `false` asks (the read-back reads absent as off), so it is left as is.
        expect(current?.should_send_custom_events === true).toBe(hook.sendCustomEvents);
      }
      expect(othersOf(after, topics)).toEqual(othersOf(hooks, topics));
      expect(planApply(after, settings, REGION).changes).toEqual([]);
    },
  );

  it.prop([app, settings])('names only our hooks, each by id, and keeps our id or the id our hook already has', (hooks, settings) => {
    // Prepare
    const topics = wantedHooks(settings, REGION).map(({ topicArn }) => topicArn);

    // Act
    const { changes, duplicateIds } = planApply(hooks, settings, REGION);

    // Assess
    const otherIds = new Set(othersOf(hooks, topics).map((hook) => hook.id));
    for (const change of changes) expect(otherIds.has(change.id)).toBe(false);
    const eventsTopicWanted = topics.includes(TOPIC);
    const oursBefore = hooks.filter((hook) => hook.id === hookIdFor(TOPIC) || (hook.hook_type === 'sns' && hook.sns_topic_arn === TOPIC));
    const keptId = hooksAfter(hooks, changes).find(
      (hook) => isOurHook(hook, topics) && hook.sns_topic_arn === TOPIC && eventsTopicWanted,
    )?.id;
    const expectedId = oursBefore.some((hook) => hook.id === hookIdFor(TOPIC)) ? hookIdFor(TOPIC) : (oursBefore[0]?.id ?? hookIdFor(TOPIC));
    expect(keptId).toBe(eventsTopicWanted ? expectedId : undefined);
    expect(duplicateIds).toHaveLength(eventsTopicWanted ? Math.max(0, oursBefore.length - 1) : 0);
  });
});

describe('hook plan: remove', () => {
  it.prop([app])('leaves no hook with our ids, and every other hook (a Stream-made one for our topic too) as it was', (hooks) => {
    // Act
    const { changes } = planRemove(hooks, TOPIC);
    const after = hooksAfter(hooks, changes);

    // Assess
    expect(after.filter((hook) => hook.id === hookIdFor(TOPIC))).toEqual([]);
    expect(after).toEqual(hooks.filter((hook) => hook.id !== hookIdFor(TOPIC)));
    expect(changes.every((change) => change.delete === true)).toBe(true);
  });
});

/** Our hook as the last apply left it, under our id: what a second apply finds. */
const applied = (changes: Partial<EventHook> = {}): EventHook => ({
  id: hookIdFor(TOPIC),
  hook_type: 'sns',
  enabled: true,
  event_types: [],
  should_send_custom_events: true,
  sns_topic_arn: TOPIC,
  sns_region: REGION,
  sns_auth_type: 'resource',
  ...changes,
});
const resource: HookSettings = { topicArn: TOPIC, authType: 'resource', routing: 'single-topic', catchAll: true, eventTypes: [] };
const keys: HookSettings = {
  topicArn: TOPIC,
  authType: 'keys',
  routing: 'single-topic',
  catchAll: true,
  eventTypes: [],
  snsKey: 'AKIAPUBLISHER1',
  snsSecret: 'publisher-secret-4f1e',
};

describe('hook plan: our hook is repaired, never reported unchanged, when it is not what we want', () => {
  it.each<[string, Partial<EventHook>]>([
    ['disabled in the dashboard', { enabled: false }],
    ['pointing at another region than its topic', { sns_region: 'us-east-1' }],
    ['switched to keys auth', { sns_auth_type: 'keys', sns_key: 'AKIASOMEONE', sns_secret: 'x' }],
    ['narrowed to some event types', { event_types: ['message.new'] }],
    ['pointed at another topic, keeping our id', { sns_topic_arn: `${TOPIC}-old` }],
    ['turned into another type of hook, keeping our id', { hook_type: 'sqs', sqs_queue_url: 'https://sqs.eu-west-1.amazonaws.com/1/q' }],
  ])('apply rewrites our hook %s', (_, drift) => {
    // Prepare
    const hooks = [applied(drift)];

    // Act
    const { changes, duplicateIds } = planApply(hooks, resource, REGION);

    // Assess
    expect(changes).toEqual([
      {
        id: hookIdFor(TOPIC),
        hook_type: 'sns',
        enabled: true,
        event_types: [],
        sns_topic_arn: TOPIC,
        sns_region: REGION,
        sns_auth_type: 'resource',
        should_send_custom_events: true,
      },
    ]);
    expect(duplicateIds).toEqual([]);
  });

  it('apply with keys auth sends the publisher key and secret, and sends them again when the key was rotated', () => {
    // Prepare
    const rotated = applied({ sns_auth_type: 'keys', sns_key: 'AKIAPUBLISHER0', sns_secret: keys.snsSecret });

    // Act
    const created = planApply([], keys, REGION).changes;
    const rewritten = planApply([rotated], keys, REGION).changes;
    const unchanged = planApply(
      [applied({ sns_auth_type: 'keys', sns_key: keys.snsKey, sns_secret: keys.snsSecret })],
      keys,
      REGION,
    ).changes;

    // Assess
    const withKeys = { ...applied({ sns_auth_type: 'keys' }), sns_key: keys.snsKey, sns_secret: keys.snsSecret };
    expect(created).toEqual([withKeys]);
    expect(rewritten).toEqual([withKeys]);
    expect(unchanged).toEqual([]);
  });

  it('case 6: apply with keys auth compares the secret too: a rotated or hand-typed secret is written, and said to be the only difference', () => {
    // Prepare
    const stale = applied({ sns_auth_type: 'keys', sns_key: keys.snsKey, sns_secret: 'the-old-secret' });

    // Act
    const first = planApply([stale], keys, REGION);
    const settling = planApply([stale], keys, REGION, false);

    // Assess
    expect(first.changes).toEqual([{ ...applied({ sns_auth_type: 'keys' }), sns_key: keys.snsKey, sns_secret: keys.snsSecret }]);
    expect(first.secretOnly).toBe(true);
    expect(settling.changes).toEqual([]);
  });

  it('apply with resource auth sends no key nor secret, even when the hook held some', () => {
    // Act
    const { changes } = planApply([applied({ sns_auth_type: 'keys', sns_key: 'AKIAOLD', sns_secret: 'old' })], resource, REGION);

    // Assess
    expect(changes).toHaveLength(1);
    expect(changes[0]).not.toHaveProperty('sns_key');
    expect(changes[0]).not.toHaveProperty('sns_secret');
  });

  it('apply leaves our hook alone when Stream lists its event types in another order, or omits an empty list', () => {
    // Prepare
    const wanted = { ...resource, eventTypes: ['user.banned', 'message.new', 'channel.created'] };
    const reordered = applied({ event_types: ['channel.created', 'message.new', 'user.banned'], should_send_custom_events: false });
    const { event_types: _omitted, ...withoutEventTypes } = applied();

    // Act
    const afterReorder = planApply([reordered], wanted, REGION);
    const afterOmitted = planApply([withoutEventTypes], resource, REGION);

    // Assess
    expect(afterReorder.changes).toEqual([]);
    expect(afterOmitted.changes).toEqual([]);
  });
});

describe('hook plan: which hooks are ours', () => {
  it('a hook with our id is ours wherever it points, so apply repoints it and remove deletes it', () => {
    // Prepare
    const repointed = applied({ sns_topic_arn: 'arn:aws:sns:eu-west-1:111122223333:renamed' });

    // Act
    const apply = planApply([repointed], resource, REGION);
    const remove = planRemove([repointed], TOPIC);

    // Assess
    expect(isOurHook(repointed)).toBe(true);
    expect(apply.changes).toEqual([applied()]);
    expect(remove.changes).toEqual([{ id: hookIdFor(TOPIC), delete: true }]);
  });

  it("another team's hook of another type that still holds our topic ARN is theirs: never written nor deleted", () => {
    // Prepare
    const converted: EventHook = {
      id: 'sqs-was-sns',
      hook_type: 'sqs',
      sqs_queue_url: 'https://sqs.eu-west-1.amazonaws.com/1/q',
      sns_topic_arn: TOPIC,
    };

    // Act
    const apply = planApply([converted], resource, REGION);
    const remove = planRemove([converted], TOPIC);

    // Assess
    expect(isOurHook(converted)).toBe(false);
    expect(apply.changes).toEqual([applied()]);
    expect(remove.changes).toEqual([]);
  });
});

describe('hook plan: duplicates', () => {
  it('apply keeps the hook with our id and deletes the Stream-made duplicates listed before it', () => {
    // Prepare
    const older = [applied({ id: 'stream-made-1' }), applied({ id: 'stream-made-2', enabled: false })];
    const hooks = [...older, applied()];

    // Act
    const { changes, duplicateIds } = planApply(hooks, resource, REGION);

    // Assess
    expect(changes).toEqual([
      { id: 'stream-made-1', delete: true },
      { id: 'stream-made-2', delete: true },
    ]);
    expect(duplicateIds).toEqual(['stream-made-1', 'stream-made-2']);
    expect(planApply(hooks, resource, REGION).adopted).toEqual([
      {
        id: hookIdFor(TOPIC),
        before: {
          enabled: true,
          event_types: [],
          sns_topic_arn: TOPIC,
          sns_region: REGION,
          sns_auth_type: 'resource',
          should_send_custom_events: true,
        },
      },
    ]);
    expect(hooksAfter(hooks, changes)).toEqual([applied()]);
  });

  it('remove deletes the hook with our id only, never a Stream-made one for the topic', () => {
    // Prepare
    const several = [applied({ id: 'stream-made-1' }), applied()];

    // Act
    const { changes } = planRemove(several, TOPIC);

    // Assess
    expect(changes).toEqual([{ id: hookIdFor(TOPIC), delete: true }]);
  });
});

describe('hook plan: the hooks a dry run shows', () => {
  it('an update merges into the hook of its id, a deletion drops only its id, a new id is added at the end', () => {
    // Prepare
    const hooks: EventHook[] = [
      { id: 'wh-1', hook_type: 'webhook', webhook_url: 'https://example.org/hook' },
      applied({ enabled: false, created_at: '2026-01-01T00:00:00Z' }),
      applied({ id: 'stream-made-1' }),
    ];
    const changes: EventHook[] = [
      { id: hookIdFor(TOPIC), enabled: true },
      { id: 'stream-made-1', delete: true },
      { id: 'new-1', hook_type: 'sns' },
    ];

    // Act
    const after = hooksAfter(hooks, changes);

    // Assess
    expect(after).toEqual([hooks[0], applied({ created_at: '2026-01-01T00:00:00Z' }), { id: 'new-1', hook_type: 'sns' }]);
    expect(hooks[1]).toMatchObject({ enabled: false });
  });
});

describe('hook plan: event types are a set (case 9)', () => {
  it.prop([fc.array(fc.constantFrom('message.new', 'user.banned', 'channel.created'), { minLength: 1, maxLength: 8 })])(
    'case 9: a type repeated in the settings is sent once, sorted, and the hook Stream then keeps needs no further write',
    (types) => {
      // Act
      const { changes } = planApply([], { ...resource, eventTypes: types }, REGION);
      const stored = applied({ event_types: [...new Set(types)].reverse(), should_send_custom_events: false });

      // Assess
      expect(changes[0]?.event_types).toEqual([...new Set(types)].sort());
      expect(planApply([stored], { ...resource, eventTypes: types }, REGION).changes).toEqual([]);
    },
  );
});

describe("hook plan: undo (the custom resource's Delete and rollback)", () => {
  const adopted: AdoptedHook = {
    id: 'made-by-hand',
    before: { enabled: false, event_types: ['message.new'], sns_topic_arn: TOPIC, sns_region: REGION, sns_auth_type: 'resource' },
  };

  it('deletes what was created and puts back the recorded settings of what was adopted, nothing else', () => {
    // Prepare
    const hooks = [applied(), applied({ id: 'made-by-hand' }), { id: 'wh-1', hook_type: 'webhook' } as EventHook];

    // Act
    const { changes } = planUndo(hooks, [hookIdFor(TOPIC)], [adopted]);

    // Assess
    expect(changes).toEqual([
      { id: hookIdFor(TOPIC), delete: true },
      { id: 'made-by-hand', ...adopted.before },
    ]);
    expect(hooksAfter(hooks, changes)).toEqual([{ ...applied({ id: 'made-by-hand' }), ...adopted.before }, hooks[2]]);
  });

  it('never creates an adopted hook again once it is gone, and never deletes an adopted one that is also listed as created', () => {
    // Act
    const gone = planUndo([], [], [adopted]);
    const listedTwice = planUndo([applied({ id: 'made-by-hand' })], ['made-by-hand'], [adopted]);

    // Assess
    expect(gone.changes).toEqual([]);
    expect(listedTwice.changes).toEqual([{ id: 'made-by-hand', ...adopted.before }]);
  });

  it('plans nothing once undone', () => {
    // Prepare
    const hooks = [applied(), applied({ id: 'made-by-hand' })];

    // Act
    const after = hooksAfter(hooks, planUndo(hooks, [hookIdFor(TOPIC)], [adopted]).changes);

    // Assess
    expect(planUndo(after, [hookIdFor(TOPIC)], [adopted]).changes).toEqual([]);
  });
});

describe('hook plan: the ids of the stack', () => {
  it('are the deterministic ids of the events topic and of every category topic derived from it', () => {
    // Act
    const ids = stackHookIds(TOPIC);

    // Assess
    expect(ids[0]).toBe(hookIdFor(TOPIC));
    expect(ids).toContain(hookIdFor(`${TOPIC}-messages`));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('hook plan: examples of what generated apps cover', () => {
  it('wants one hook per topic, its types sorted and each once, and keys only under keys auth', () => {
    // Act
    const resourceWanted = wantedHooks(
      { ...resource, eventTypes: ['user.banned', 'message.new', 'user.banned'], snsKey: 'AKIAX', snsSecret: 's' },
      REGION,
    );
    const keysWanted = wantedHooks(keys, REGION);

    // Assess
    expect(resourceWanted).toEqual([
      {
        id: hookIdFor(TOPIC),
        topicArn: TOPIC,
        region: REGION,
        role: 'catch-all',
        authType: 'resource',
        eventTypes: ['message.new', 'user.banned'],
        sendCustomEvents: false,
      },
    ]);
    expect(keysWanted).toEqual([
      {
        id: hookIdFor(TOPIC),
        topicArn: TOPIC,
        region: REGION,
        role: 'catch-all',
        authType: 'keys',
        eventTypes: [],
        sendCustomEvents: true,
        snsKey: keys.snsKey,
        snsSecret: keys.snsSecret,
      },
    ]);
  });

  it('adopts the hook with our id wherever it points, and the first SNS hook for the topic when none has our id', () => {
    // Act
    const byId = planApply([applied({ sns_topic_arn: `${TOPIC}-old` })], resource, REGION);
    const byTopic = planApply([applied({ id: 'first' }), applied({ id: 'second' })], resource, REGION);

    // Assess
    expect(byId.adopted.map(({ id }) => id)).toEqual([hookIdFor(TOPIC)]);
    expect(byTopic.adopted).toEqual([
      {
        id: 'first',
        before: {
          enabled: true,
          event_types: [],
          sns_topic_arn: TOPIC,
          sns_region: REGION,
          sns_auth_type: 'resource',
          should_send_custom_events: true,
        },
      },
    ]);
    expect(byTopic.duplicateIds).toEqual(['second']);
  });

  it('says a change is for the secret only when nothing else differs, no duplicate is deleted, and something is written', () => {
    // Prepare
    const stored = applied({ sns_auth_type: 'keys', sns_key: keys.snsKey, sns_secret: 'old' });

    // Act
    const secretOnly = planApply([stored], keys, REGION);
    const alsoDisabled = planApply([{ ...stored, enabled: false }], keys, REGION);
    const alsoDuplicate = planApply([stored, applied({ id: 'dup', sns_auth_type: 'keys' })], keys, REGION);
    const nothing = planApply([{ ...stored, sns_secret: keys.snsSecret }], keys, REGION);

    // Assess
    expect([secretOnly.secretOnly, alsoDisabled.secretOnly, alsoDuplicate.secretOnly, nothing.secretOnly]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it('compares event types as sets, whatever order Stream keeps, and never confuses two lists that join alike', () => {
    // Act
    const unsorted = planApply(
      [applied({ event_types: ['user.banned', 'message.new'], should_send_custom_events: false })],
      { ...resource, eventTypes: ['message.new', 'user.banned'] },
      REGION,
    );
    const joinedAlike = planApply([applied({ event_types: ['ab', 'c'] })], { ...resource, eventTypes: ['a', 'bc'] }, REGION);

    // Assess
    expect(unsorted.changes).toEqual([]);
    expect(joinedAlike.changes).toHaveLength(1);
  });

  it('under resource auth, ignores a key Stream still holds from an earlier keys auth', () => {
    // Act
    const { changes } = planApply([applied({ sns_key: 'AKIALEFTOVER' })], resource, REGION);

    // Assess
    expect(changes).toEqual([]);
  });

  it('removal and undo plans adopt nothing and are never for a secret only', () => {
    // Act
    const remove = planRemove([applied()], TOPIC);
    const undo = planUndo([applied()], [hookIdFor(TOPIC)], []);

    // Assess
    expect(remove).toEqual({ changes: [{ id: hookIdFor(TOPIC), delete: true }], adopted: [], duplicateIds: [], secretOnly: false });
    expect(undo).toEqual({ changes: [{ id: hookIdFor(TOPIC), delete: true }], adopted: [], duplicateIds: [], secretOnly: false });
  });

  it('undo finds an adopted hook by its id wherever it is in the app', () => {
    // Prepare
    const before = { enabled: false, event_types: ['message.new'] };

    // Act
    const { changes } = planUndo([applied(), applied({ id: 'made-by-hand' })], [], [{ id: 'made-by-hand', before }]);

    // Assess
    expect(changes).toEqual([{ id: 'made-by-hand', ...before }]);
  });

  it('names the fields in which two hooks differ, sorted, never their values', () => {
    // Act
    const names = differentFields(applied(), applied({ sns_region: 'us-east-1', enabled: false, webhook_url: 'x' } as Partial<EventHook>));

    // Assess
    expect(names).toEqual(['enabled', 'sns_region', 'webhook_url']);
  });
});

describe('hook plan: what generated apps leave out', () => {
  const categoryId = hookIdFor(`${TOPIC}-messages`);

  it("adopts a hook under a category's id that points at the events topic, and updates it rather than also deleting it", () => {
    // Act
    const plan = planApply([applied({ id: categoryId, enabled: false })], resource, REGION);

    // Assess
    expect(plan.changes).toEqual([expect.objectContaining({ id: categoryId, enabled: true })]);
  });

  it("never says a plan that deletes another mode's hook is for the secret only", () => {
    // Act
    const plan = planApply([applied(), applied({ id: categoryId, sns_topic_arn: `${TOPIC}-messages` })], resource, REGION);

    // Assess: else the run would note a rotated secret that it never wrote.
    expect(plan.changes).toEqual([{ id: categoryId, delete: true }]);
    expect(plan.secretOnly).toBe(false);
  });

  it('under resource auth, ignores a secret Stream still holds from an earlier keys auth', () => {
    // Act
    const { changes } = planApply([applied({ sns_secret: 'left-over-secret' })], resource, REGION);

    // Assess
    expect(changes).toEqual([]);
  });

  it('undo leaves an adopted hook that is back as it was, whatever hook comes before it in the app', () => {
    // Prepare
    const before = { enabled: false, event_types: ['message.new'] };

    // Act
    const { changes } = planUndo([applied(), applied({ id: 'made-by-hand', ...before })], [], [{ id: 'made-by-hand', before }]);

    // Assess
    expect(changes).toEqual([]);
  });

  it('records only the fields an adopted hook had, so that one undo, as Stream stores the write, leaves nothing to undo', () => {
    // Prepare: a hook made by hand without should_send_custom_events; every write travels as JSON.
    const byHand: EventHook = {
      id: 'made-by-hand',
      hook_type: 'sns',
      enabled: false,
      event_types: ['message.new'],
      sns_topic_arn: TOPIC,
      sns_region: REGION,
      sns_auth_type: 'resource',
    };
    const stored = (hooks: EventHook[], changes: EventHook[]) => hooksAfter(hooks, JSON.parse(JSON.stringify(changes)));
    const { adopted, changes } = planApply([byHand], resource, REGION);
    const afterApply = stored([byHand], changes);

    // Act
    const undone = stored(afterApply, planUndo(afterApply, [], adopted).changes);

    // Assess
    expect(Object.keys(adopted[0]!.before).sort()).toEqual(['enabled', 'event_types', 'sns_auth_type', 'sns_region', 'sns_topic_arn']);
    expect(planUndo(undone, [], adopted).changes).toEqual([]);
  });

  it('names the fields in which two hooks differ sorted, whatever order they come in', () => {
    // Act
    const names = differentFields({ id: 'x', zeta: 1, alpha: 1 } as EventHook, { id: 'x', zeta: 2, alpha: 2 } as EventHook);

    // Assess
    expect(names).toEqual(['alpha', 'zeta']);
  });
});

describe('hook plan: types the catalog lacks (per-category, catchAll false, no narrowing)', () => {
  const syncing: HookSettings = { ...resource, routing: 'per-category', catchAll: false };
  const catchAllOf = (hooks: WantedHook[]) => hooks.find(({ role }) => role === 'catch-all')?.eventTypes;

  it("join the events topic's list, sorted, but not a type the catalog gives a category", () => {
    // Act
    const hooks = wantedHooks(syncing, REGION, ['zz.new.type', 'message.new']);

    // Assess
    expect(catchAllOf(hooks)).toEqual([...catalogTypesOf('other'), 'zz.new.type'].sort());
    expect(catchAllOf(wantedHooks(syncing, REGION))).toEqual(catalogTypesOf('other'));
  });

  it.each<[string, HookSettings, string[]]>([
    ['single-topic, which takes every type already', { ...resource, catchAll: false }, []],
    ['narrowed to a list', { ...syncing, eventTypes: ['message.new', 'zz.custom.type'] }, ['zz.custom.type']],
  ])('are ignored %s', (_, settings, expected) => {
    // Act
    const hooks = wantedHooks(settings, REGION, ['zz.unlisted.type']);

    // Assess
    expect(syncsUncategorised(settings)).toBe(false);
    expect(catchAllOf(hooks)).toEqual(expected);
  });
});

describe("hook plan: the read-back's checks of each of our hooks", () => {
  const perCategory: HookSettings = { ...resource, routing: 'per-category' };
  const messages = () => wantedHooks(perCategory, REGION).find(({ role }) => role === 'messages')!;
  const held = (changes: Partial<EventHook> = {}): EventHook => ({
    id: messages().id,
    hook_type: 'sns',
    enabled: true,
    event_types: [...messages().eventTypes].reverse(),
    should_send_custom_events: false,
    sns_topic_arn: messages().topicArn,
    sns_region: REGION,
    sns_auth_type: 'resource',
    ...changes,
  });

  it.each<[string, EventHook | undefined, RegExp]>([
    ['missing', undefined, /is missing/],
    ['disabled', held({ enabled: false }), /is not enabled/],
    ['on another topic', held({ sns_topic_arn: TOPIC }), /publishes to another topic \(sns_topic_arn\)/],
    ['in another region', held({ sns_region: 'us-east-1' }), /has another sns_region/],
    ['with another list', held({ event_types: ['message.new'] }), /has another list of event_types/],
    ['with custom events on', held({ should_send_custom_events: true }), /has should_send_custom_events on/],
    ['with keys auth', held({ sns_auth_type: 'keys' }), /has another sns_auth_type/],
    ['of another type', held({ hook_type: 'sqs' }), /is not of type sns/],
  ])('fails a hook %s, naming its id, role and topic, never a value', (_, current, failure) => {
    // Act
    const failures = checksOf(current, messages());

    // Assess
    expect(failures).toEqual([expect.stringMatching(failure)]);
    expect(failures[0]).toContain(`hook ${messages().id} (messages, ${TOPIC}-messages)`);
  });

  it('fails the catch-all with custom events off, and a hook under keys auth with another key', () => {
    // Prepare
    const [catchAll] = wantedHooks(resource, REGION);
    const [withKeys] = wantedHooks(keys, REGION);

    // Act
    const customOff = checksOf(applied({ should_send_custom_events: false }), catchAll!);
    const otherKey = checksOf(applied({ sns_auth_type: 'keys', sns_key: 'AKIAOTHERKEY' }), withKeys!);

    // Assess
    expect(customOff).toEqual([`hook ${hookIdFor(TOPIC)} (catch-all, ${TOPIC}) has should_send_custom_events off`]);
    expect(otherKey).toEqual([`hook ${hookIdFor(TOPIC)} (catch-all, ${TOPIC}) has another sns_key`]);
  });

  it('passes the hook as written, whatever order Stream keeps its types in', () => {
    // Act and assess
    expect(checksOf(held(), messages())).toEqual([]);
  });
});

/**
 * The plan of the setup's writes, on generated apps: whatever hooks an app holds (other teams' hooks of every type,
 * none, one or several of ours, under Stream-made ids or ours), the planned changes leave exactly one hook for our
 * topic with our settings (none after remove), name no other hook, and plan nothing more once applied.
 */
import { fc, it } from '@fast-check/vitest';
import type { EventHook } from 'stream-chat';
import { describe, expect } from 'vitest';
import { hookIdFor } from '../../functions/setup/hook-id.js';
import { type HookSettings, hooksAfter, isOurHook, planApply, planRemove } from '../../functions/setup/hook-plan.js';

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:stream-chat-events-dev-events';
const REGION = 'eu-west-1';

const otherHook: fc.Arbitrary<EventHook> = fc.oneof(
  fc.record({ id: fc.uuid(), hook_type: fc.constant('webhook' as const), webhook_url: fc.webUrl(), enabled: fc.boolean() }),
  fc.record({ id: fc.uuid(), hook_type: fc.constant('sqs' as const), sqs_queue_url: fc.webUrl(), sqs_key: fc.string(), sqs_secret: fc.string() }),
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
  fc.record({ topicArn: fc.constant(TOPIC), authType: fc.constant('resource' as const), eventTypes: fc.subarray(['message.new', 'user.banned']) }),
  fc.record({ topicArn: fc.constant(TOPIC), authType: fc.constant('keys' as const), eventTypes: fc.constant<string[]>([]), snsKey: fc.constantFrom('AKIAONE', 'AKIATWO'), snsSecret: fc.constant('s') }),
);
const othersOf = (hooks: EventHook[]) => hooks.filter((hook) => !isOurHook(hook, TOPIC));

describe('hook plan: apply', () => {
  it.prop([app, settings])('leaves exactly one hook for the topic, with the settings, and every other hook as it was', (hooks, wanted) => {
    // Act
    const { changes } = planApply(hooks, wanted, REGION);
    const after = hooksAfter(hooks, changes);

    // Assess
    const ours = after.filter((hook) => isOurHook(hook, TOPIC));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ enabled: true, sns_region: REGION, sns_auth_type: wanted.authType, sns_topic_arn: TOPIC });
    expect(othersOf(after)).toEqual(othersOf(hooks));
    expect(planApply(after, wanted, REGION).changes).toEqual([]);
  });

  it.prop([app, settings])('names only our hooks, each by id, and keeps our id or the id our hook already has', (hooks, wanted) => {
    // Act
    const { changes, duplicateIds } = planApply(hooks, wanted, REGION);

    // Assess
    const otherIds = new Set(othersOf(hooks).map((hook) => hook.id));
    for (const change of changes) expect(otherIds.has(change.id)).toBe(false);
    const oursBefore = hooks.filter((hook) => isOurHook(hook, TOPIC));
    const keptId = hooksAfter(hooks, changes).find((hook) => isOurHook(hook, TOPIC))?.id;
    const expectedId = oursBefore.some((hook) => hook.id === hookIdFor(TOPIC)) ? hookIdFor(TOPIC) : (oursBefore[0]?.id ?? hookIdFor(TOPIC));
    expect(keptId).toBe(expectedId);
    expect(duplicateIds).toHaveLength(Math.max(0, oursBefore.length - 1));
  });
});

describe('hook plan: remove', () => {
  it.prop([app])('leaves no hook for the topic and every other hook as it was', (hooks) => {
    // Act
    const { changes } = planRemove(hooks, TOPIC);
    const after = hooksAfter(hooks, changes);

    // Assess
    expect(after.filter((hook) => isOurHook(hook, TOPIC))).toEqual([]);
    expect(after).toEqual(othersOf(hooks));
    expect(changes.every((change) => change.delete === true)).toBe(true);
  });
});

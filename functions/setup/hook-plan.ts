/**
 * What to write to make the app hold exactly our hook (apply) or none of it (remove): pure functions of the hooks
 * Stream holds now, so that the same plan is the write, the dry run and the check after the write.
 *
 * Our hooks are the SNS hooks whose topic is this stack's, and any hook with our id. Several can exist: older
 * versions sent the hook without an id, so each retried write added one. Apply keeps one (the one with our id, or
 * else the first, keeping its Stream-made id so apps set up by older versions keep working) and deletes the rest;
 * remove deletes them all. Every change names a hook by id, in explicit-deletion mode: no other hook is ever sent.
 */
import type { EventHook } from 'stream-chat';
import { hookIdFor } from './hook-id.js';

/** The hook this stack wants. */
export interface HookSettings {
  topicArn: string;
  /** `resource`: the topic policy lets Stream's account publish. `keys`: Stream publishes with snsKey/snsSecret. */
  authType: 'resource' | 'keys';
  /** Event types to send; empty means every event, including types Stream adds later. */
  eventTypes: string[];
  snsKey?: string | undefined;
  snsSecret?: string | undefined;
}

/** The changes to send (empty: the app already holds what is wanted) and the duplicates among them. */
export interface HookPlan {
  changes: EventHook[];
  /** Ids of our hooks beyond the one kept, deleted by `changes`. */
  duplicateIds: string[];
}

/** Whether `hook` is ours: an SNS hook for our topic, or a hook with our id. */
export function isOurHook(hook: EventHook, topicArn: string): boolean {
  return (hook.hook_type === 'sns' && hook.sns_topic_arn === topicArn) || hook.id === hookIdFor(topicArn);
}

/** The changes that leave exactly one hook for the topic, with these settings. */
export function planApply(hooks: EventHook[], settings: HookSettings, region: string): HookPlan {
  const ours = hooks.filter((hook) => isOurHook(hook, settings.topicArn));
  const kept = ours.find((hook) => hook.id === hookIdFor(settings.topicArn)) ?? ours[0];
  const duplicateIds = ours.filter((hook) => hook !== kept).map((hook) => hook.id!);
  const desired = desiredHook(kept?.id ?? hookIdFor(settings.topicArn), settings, region);
  const changes = [
    ...(kept !== undefined && sameHook(kept, desired) ? [] : [desired]),
    ...duplicateIds.map((id) => ({ id, delete: true })),
  ];
  return { changes, duplicateIds };
}

/** The changes that leave no hook for the topic. */
export function planRemove(hooks: EventHook[], topicArn: string): HookPlan {
  const ids = hooks.filter((hook) => isOurHook(hook, topicArn)).map((hook) => hook.id!);
  return { changes: ids.map((id) => ({ id, delete: true })), duplicateIds: ids.slice(1) };
}

/**
 * The hooks Stream will hold after `changes` in explicit-deletion mode (delete by id, update by id, create with an
 * unknown id): what a dry run shows.
 */
export function hooksAfter(hooks: EventHook[], changes: EventHook[]): EventHook[] {
  let result = [...hooks];
  for (const change of changes) {
    if (change.delete === true) result = result.filter((hook) => hook.id !== change.id);
    else if (result.some((hook) => hook.id === change.id)) result = result.map((hook) => (hook.id === change.id ? { ...hook, ...change } : hook));
    else result.push(change);
  }
  return result;
}

function desiredHook(id: string, settings: HookSettings, region: string): EventHook {
  return {
    id,
    hook_type: 'sns',
    enabled: true,
    event_types: [...settings.eventTypes],
    sns_topic_arn: settings.topicArn,
    sns_region: region,
    sns_auth_type: settings.authType,
    ...(settings.authType === 'keys' ? { sns_key: settings.snsKey, sns_secret: settings.snsSecret } : {}),
  };
}

/**
 * Whether the hook Stream holds is already the one wanted. Secrets are compared through the key only: Stream may
 * not return the secret, and a new AWS access key always has a new key id.
 */
function sameHook(current: EventHook, desired: EventHook): boolean {
  const sorted = (types: string[] | undefined) => [...(types ?? [])].sort().join(',');
  return (
    current.hook_type === 'sns' &&
    current.enabled === true &&
    current.sns_topic_arn === desired.sns_topic_arn &&
    current.sns_region === desired.sns_region &&
    current.sns_auth_type === desired.sns_auth_type &&
    sorted(current.event_types) === sorted(desired.event_types) &&
    (desired.sns_auth_type !== 'keys' || current.sns_key === desired.sns_key)
  );
}

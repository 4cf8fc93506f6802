/**
 * What to write to make the app hold exactly our hooks (apply), none of them (remove), or what it held before we
 * came (undo): pure functions of the hooks Stream holds now, so that the same plan is the write, the dry run and
 * the check after the write. Every change names a hook by id, in explicit-deletion mode: no other hook is ever sent.
 *
 * Ours, for apply: for each hook the stack wants, the hook with its deterministic id, or else an SNS hook for its
 * topic (left by an older version without an id, or made by hand): that one is kept under its id and updated, and
 * the stack "adopts" it (its previous settings are what an undo puts back). Further hooks for the topic are
 * duplicates (older versions added one per retried write) and are deleted. For remove: only the hooks with our
 * deterministic ids; other hooks for the topic are named, never deleted.
 */

import { isDeepStrictEqual } from 'node:util';
import type { EventHook } from 'stream-chat';
import { categoryTopic, NAMED_CATEGORIES } from '../../shared/routing.js';
import { hookIdFor } from './hook-id.js';

/** The hook this stack wants, as the operator gives it (the command's flags, the custom resource's properties). */
export interface HookSettings {
  topicArn: string;
  /** `resource`: the topic policy lets Stream's account publish. `keys`: Stream publishes with snsKey/snsSecret. */
  authType: 'resource' | 'keys';
  /** Event types to send; empty means every event, including types Stream adds later. */
  eventTypes: string[];
  snsKey?: string | undefined;
  snsSecret?: string | undefined;
}

/** One hook as the stack wants Stream to hold it. */
export interface WantedHook {
  id: string;
  topicArn: string;
  region: string;
  authType: HookSettings['authType'];
  /** Sorted, each once: Stream keeps a set, so a repeat would never compare equal. */
  eventTypes: string[];
  snsKey?: string | undefined;
  snsSecret?: string | undefined;
}

/** The fields of an SNS hook that the setup writes, apart from credentials: what an undo puts back. */
export const WRITTEN_FIELDS = [
  'enabled',
  'event_types',
  'sns_topic_arn',
  'sns_region',
  'sns_auth_type',
  'should_send_custom_events',
] as const;

/** A hook that existed before the stack took it over, with what it held then (credentials are never recorded). */
export interface AdoptedHook {
  id: string;
  before: Partial<Record<(typeof WRITTEN_FIELDS)[number], unknown>>;
}

/** The changes to send (empty: the app already holds what is wanted), and what they do to hooks already there. */
export interface HookPlan {
  changes: EventHook[];
  /** Hooks already there that the plan keeps as ours, with their settings now. */
  adopted: AdoptedHook[];
  /** Ids of hooks for our topics beyond the one kept: deleted by `changes`. */
  duplicateIds: string[];
  /** Whether a change was planned only because the SNS secret Stream holds differs (or is not shown). */
  secretOnly: boolean;
}

/** How apply compares a hook Stream holds with the one wanted. */
export interface CompareOptions {
  /**
   * Compare the SNS secret too. True for the first plan, so that a rotated secret is written; false once written,
   * as Stream may answer it masked and the run must still converge.
   */
  compareSecret: boolean;
}

/** The hooks the stack wants for these settings. Today one, for the topic given; a set, for every caller. */
export function wantedHooks(settings: HookSettings, region: string): WantedHook[] {
  return [
    {
      id: hookIdFor(settings.topicArn),
      topicArn: settings.topicArn,
      region,
      authType: settings.authType,
      eventTypes: [...new Set(settings.eventTypes)].sort(),
      ...(settings.authType === 'keys' ? { snsKey: settings.snsKey, snsSecret: settings.snsSecret } : {}),
    },
  ];
}

/**
 * Every id a hook of this stack can have, whatever the routing mode: the deterministic id of the events topic and
 * of each category topic derived from it (shared/routing.ts). What `--remove` deletes, and nothing else.
 */
export function stackHookIds(eventsTopicArn: string): string[] {
  return [eventsTopicArn, ...NAMED_CATEGORIES.map((category) => categoryTopic(eventsTopicArn, category))].map(hookIdFor);
}

/** The changes that leave exactly our hooks, as wanted. */
export function planApply(hooks: EventHook[], wanted: WantedHook[], { compareSecret }: CompareOptions): HookPlan {
  const changes: EventHook[] = [];
  const adopted: AdoptedHook[] = [];
  const duplicateIds: string[] = [];
  let secretOnly = true;
  for (const hook of wanted) {
    const candidates = hooks.filter(
      (current) => current.id === hook.id || (current.hook_type === 'sns' && current.sns_topic_arn === hook.topicArn),
    );
    const kept = candidates.find((current) => current.id === hook.id) ?? candidates[0];
    const desired = desiredHook(kept?.id ?? hook.id, hook);
    if (kept !== undefined) adopted.push({ id: kept.id!, before: writtenFieldsOf(kept) });
    const differs = kept === undefined ? { settings: true, secret: false } : differenceOf(kept, desired, compareSecret);
    if (differs.settings || differs.secret) changes.push(desired);
    if (differs.settings) secretOnly = false;
    for (const duplicate of candidates.filter((current) => current !== kept)) {
      duplicateIds.push(duplicate.id!);
      changes.push({ id: duplicate.id!, delete: true });
      secretOnly = false;
    }
  }
  return { changes, adopted, duplicateIds, secretOnly: changes.length > 0 && secretOnly };
}

/** The changes that delete the hooks with these ids, where present. */
export function planRemove(hooks: EventHook[], ids: readonly string[]): HookPlan {
  const present = hooks.filter((hook) => ids.includes(hook.id!)).map((hook) => hook.id!);
  return { changes: present.map((id) => ({ id, delete: true })), adopted: [], duplicateIds: [], secretOnly: false };
}

/**
 * The changes that undo what the stack did: delete the hooks it created, put back the settings of those it adopted.
 * An adopted hook that is gone stays gone (writing it would create it again, publishing twice).
 */
export function planUndo(hooks: EventHook[], created: readonly string[], adopted: readonly AdoptedHook[]): HookPlan {
  const adoptedIds = new Set(adopted.map(({ id }) => id));
  const changes: EventHook[] = planRemove(
    hooks,
    created.filter((id) => !adoptedIds.has(id)),
  ).changes;
  for (const { id, before } of adopted) {
    const current = hooks.find((hook) => hook.id === id);
    if (current !== undefined && !isDeepStrictEqual(writtenFieldsOf(current), before)) changes.push({ id, ...before } as EventHook);
  }
  return { changes, adopted: [], duplicateIds: [], secretOnly: false };
}

/**
 * The hooks Stream will hold after `changes` in explicit-deletion mode (delete by id, update by id, create with an
 * unknown id): what a dry run shows.
 */
export function hooksAfter(hooks: EventHook[], changes: EventHook[]): EventHook[] {
  let result = [...hooks];
  for (const change of changes) {
    if (change.delete === true) result = result.filter((hook) => hook.id !== change.id);
    else if (result.some((hook) => hook.id === change.id))
      result = result.map((hook) => (hook.id === change.id ? { ...hook, ...change } : hook));
    else result.push(change);
  }
  return result;
}

/** The names of the fields in which two hooks differ (values never: they may be credentials). */
export function differentFields(before: EventHook, after: EventHook): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names]
    .filter((name) => !isDeepStrictEqual((before as Record<string, unknown>)[name], (after as Record<string, unknown>)[name]))
    .sort();
}

function desiredHook(id: string, hook: WantedHook): EventHook {
  return {
    id,
    hook_type: 'sns',
    enabled: true,
    event_types: [...hook.eventTypes],
    sns_topic_arn: hook.topicArn,
    sns_region: hook.region,
    sns_auth_type: hook.authType,
    ...(hook.authType === 'keys' ? { sns_key: hook.snsKey, sns_secret: hook.snsSecret } : {}),
  };
}

function writtenFieldsOf(hook: EventHook): AdoptedHook['before'] {
  const fields = hook as Record<string, unknown>;
  return Object.fromEntries(
    WRITTEN_FIELDS.filter((name) => fields[name] !== undefined).map((name) => [name, structuredClone(fields[name])]),
  );
}

/** Whether the hook Stream holds differs from the one wanted in its settings, and in its SNS secret. */
function differenceOf(current: EventHook, desired: EventHook, compareSecret: boolean): { settings: boolean; secret: boolean } {
  const asSet = (types: unknown) => JSON.stringify([...new Set(Array.isArray(types) ? types : [])].sort());
  const keys = desired.sns_auth_type === 'keys';
  const settings =
    (['hook_type', 'enabled', 'sns_topic_arn', 'sns_region', 'sns_auth_type'] as const).some((name) => current[name] !== desired[name]) ||
    asSet(current.event_types) !== asSet(desired.event_types) ||
    (keys && current.sns_key !== desired.sns_key);
  return { settings, secret: keys && compareSecret && current.sns_secret !== desired.sns_secret };
}

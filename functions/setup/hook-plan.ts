/**
 * What to write to make the app hold exactly our hooks (apply), none of them (remove), or what it held before we
 * came (undo): pure functions of the hooks Stream holds now, so that the same plan is the write, the dry run and
 * the check after the write. Every change names a hook by id, in explicit-deletion mode: no other hook is ever sent,
 * and all of a plan's changes go in one write.
 *
 * Which hooks: those the routing mode gives (shared/routing.ts, {@link wantedHooks}): per-category, one per named
 * category on its own topic plus the catch-all on the events topic; single-topic, one on the events topic. Each has
 * the deterministic id of its topic ARN (hook-id.ts).
 *
 * Ours, for apply: for each hook the stack wants, the hook with its deterministic id, or else an SNS hook for its
 * topic (left by an older version without an id, or made by hand): that one is kept under its id and updated, and
 * the stack "adopts" it (its previous settings are what an undo puts back). Further hooks for the topic are
 * duplicates (older versions added one per retried write) and are deleted; so is a hook with one of the stack's
 * deterministic ids that the mode no longer wants (a category's hook after a switch to single-topic), so that a
 * switch leaves exactly the new mode's hooks. For remove: only the hooks with our deterministic ids; other hooks for
 * the topics are named, never deleted.
 */

import { isDeepStrictEqual } from 'node:util';
import type { EventHook } from 'stream-chat';
import { EVENT_TYPE_CATEGORY } from '../../shared/catalog.js';
import {
  categoryTopic,
  NAMED_CATEGORIES,
  type WantedHook as RoutedHook,
  RoutingMode,
  type RoutingSettings,
  wantedHooks as routedHooks,
} from '../../shared/routing.js';
import { hookIdFor } from './hook-id.js';

/** The hooks this stack wants, as the operator gives them (the command's flags, the custom resource's properties). */
export interface HookSettings {
  /** The events topic: the one input; the category topics' ARNs follow from it (shared/routing.ts). */
  topicArn: string;
  /** `resource`: the topic policy lets Stream's account publish. `keys`: Stream publishes with snsKey/snsSecret. */
  authType: 'resource' | 'keys';
  /** The routing mode (param `routing`). */
  routing: RoutingMode;
  /** Per-category only: the events topic's hook takes every type (true), or lists the `other` types (false). */
  catchAll: boolean;
  /** Event types to send (param `streamEventTypes`); empty means every event, including types Stream adds later. */
  eventTypes: string[];
  snsKey?: string | undefined;
  snsSecret?: string | undefined;
}

/** One hook as the stack wants Stream to hold it. */
export interface WantedHook {
  id: string;
  topicArn: string;
  region: string;
  /** The named category whose hook it is, or `catch-all` (the events topic's). */
  role: RoutedHook['role'];
  authType: HookSettings['authType'];
  /** Sorted, each once: Stream keeps a set, so a repeat would never compare equal. */
  eventTypes: string[];
  /** `should_send_custom_events`. */
  sendCustomEvents: boolean;
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

/** The routing settings of a run's {@link HookSettings}. */
export function routingOf(settings: Pick<HookSettings, 'routing' | 'catchAll' | 'eventTypes'>): RoutingSettings {
  return { mode: settings.routing, catchAll: settings.catchAll, streamEventTypes: settings.eventTypes };
}

/**
 * Whether the events topic's hook is kept in step with Stream's list (per-category, `catchAll: false`, no narrowing):
 * its list is then positive, so every type Stream lists and the catalog lacks is added to it, or no function would
 * ever receive that type.
 */
export function syncsUncategorised(settings: Pick<HookSettings, 'routing' | 'catchAll' | 'eventTypes'>): boolean {
  return settings.routing === RoutingMode.PerCategory && !settings.catchAll && settings.eventTypes.length === 0;
}

/**
 * The hooks the stack wants for these settings, in shared/routing.ts's order (named categories, then the catch-all),
 * each with its topic's deterministic id. `uncategorised` (types the catalog lacks: Stream lists them, or the hook
 * holds them already) joins the catch-all's list when {@link syncsUncategorised}; otherwise it is ignored.
 *
 * @throws RoutingListError (shared/errors.ts) when the named lists are not pairwise disjoint and complete.
 */
export function wantedHooks(settings: HookSettings, region: string, uncategorised: readonly string[] = []): WantedHook[] {
  const extra = syncsUncategorised(settings) ? uncategorised.filter((type) => !Object.hasOwn(EVENT_TYPE_CATEGORY, type)) : [];
  return routedHooks(settings.topicArn, routingOf(settings)).map((hook) => ({
    id: hookIdFor(hook.topicArn),
    topicArn: hook.topicArn,
    region,
    role: hook.role,
    authType: settings.authType,
    eventTypes: hook.role === 'catch-all' && extra.length > 0 ? [...new Set([...hook.eventTypes, ...extra])].sort() : [...hook.eventTypes],
    sendCustomEvents: hook.sendCustomEvents,
    ...(settings.authType === 'keys' ? { snsKey: settings.snsKey, snsSecret: settings.snsSecret } : {}),
  }));
}

/**
 * Every id a hook of this stack can have, whatever the routing mode: the deterministic id of the events topic and
 * of each category topic derived from it (shared/routing.ts). What `--remove` deletes, and nothing else.
 */
export function stackHookIds(eventsTopicArn: string): string[] {
  return [eventsTopicArn, ...NAMED_CATEGORIES.map((category) => categoryTopic(eventsTopicArn, category))].map(hookIdFor);
}

/**
 * The changes that leave exactly our hooks, as wanted: each wanted hook written where it differs, duplicates for its
 * topic deleted, and every hook with one of `stackIds` that is not wanted (another mode's) deleted.
 */
export function planApply(
  hooks: EventHook[],
  wanted: WantedHook[],
  { compareSecret }: CompareOptions,
  stackIds: readonly string[] = [],
): HookPlan {
  const changes: EventHook[] = [];
  const adopted: AdoptedHook[] = [];
  const duplicateIds: string[] = [];
  let secretOnly = true;
  for (const hook of wanted) {
    const candidates = candidatesFor(hooks, hook);
    const kept = keptOf(candidates, hook);
    const desired = desiredHook(kept?.id ?? hook.id, hook);
    if (kept !== undefined) adopted.push({ id: kept.id!, before: writtenFieldsOf(kept) });
    const differs =
      kept === undefined
        ? { settings: true, secret: false }
        : { settings: checksOf(kept, hook).length > 0, secret: secretDiffers(kept, hook, compareSecret) };
    if (differs.settings || differs.secret) changes.push(desired);
    if (differs.settings) secretOnly = false;
    for (const duplicate of candidates.filter((current) => current !== kept)) {
      duplicateIds.push(duplicate.id!);
      changes.push({ id: duplicate.id!, delete: true });
      secretOnly = false;
    }
  }
  const kept = new Set([...adopted.map(({ id }) => id), ...wanted.map(({ id }) => id), ...duplicateIds]);
  for (const stale of hooks.filter((hook) => stackIds.includes(hook.id!) && !kept.has(hook.id!))) {
    changes.push({ id: stale.id!, delete: true });
    secretOnly = false;
  }
  return { changes, adopted, duplicateIds, secretOnly: changes.length > 0 && secretOnly };
}

/**
 * The hook that is, or is to be, the wanted one: the hook with its id, else the first SNS hook for its topic (which
 * apply adopts); undefined when there is none.
 */
export function ourHookFor(hooks: EventHook[], hook: WantedHook): EventHook | undefined {
  return keptOf(candidatesFor(hooks, hook), hook);
}

function candidatesFor(hooks: EventHook[], hook: WantedHook): EventHook[] {
  return hooks.filter((current) => current.id === hook.id || (current.hook_type === 'sns' && current.sns_topic_arn === hook.topicArn));
}

function keptOf(candidates: EventHook[], hook: WantedHook): EventHook | undefined {
  return candidates.find((current) => current.id === hook.id) ?? candidates[0];
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
    // Only the recorded fields are compared and put back: a field the hook did not have then (custom events, say)
    // cannot be taken away by a write, so it stays as the stack left it.
    const now = writtenFieldsOf(current ?? {});
    const recorded = Object.keys(before) as Array<keyof AdoptedHook['before']>;
    if (current !== undefined && recorded.some((name) => !isDeepStrictEqual(now[name], before[name])))
      changes.push({ id, ...before } as EventHook);
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
    should_send_custom_events: hook.sendCustomEvents,
    ...(hook.authType === 'keys' ? { sns_key: hook.snsKey, sns_secret: hook.snsSecret } : {}),
  };
}

function writtenFieldsOf(hook: EventHook): AdoptedHook['before'] {
  const fields = hook as Record<string, unknown>;
  return Object.fromEntries(
    WRITTEN_FIELDS.filter((name) => fields[name] !== undefined).map((name) => [name, structuredClone(fields[name])]),
  );
}

/**
 * The read-back's checks of one of our hooks, as Stream holds it, against the one wanted: each that fails, by hook id
 * and field name (never a value). Empty: it is there, enabled, of type sns, on the right topic and region, with its
 * list of event types equal to the wanted one (as sets: Stream keeps one), custom events as wanted, and the right
 * auth (with keys auth, the right key; the secret is compared apart, {@link CompareOptions}).
 */
export function checksOf(current: EventHook | undefined, hook: WantedHook): string[] {
  const name = `hook ${hook.id} (${hook.role}, ${hook.topicArn})`;
  if (current === undefined) return [`${name} is missing`];
  const asSet = (types: unknown) => JSON.stringify([...new Set(Array.isArray(types) ? types.map(String) : [])].sort());
  const failures: string[] = [];
  if (current.hook_type !== 'sns') failures.push(`${name} is not of type sns`);
  if (current.enabled !== true) failures.push(`${name} is not enabled`);
  if (current.sns_topic_arn !== hook.topicArn) failures.push(`${name} publishes to another topic (sns_topic_arn)`);
  if (current.sns_region !== hook.region) failures.push(`${name} has another sns_region`);
  if (asSet(current.event_types) !== asSet(hook.eventTypes)) failures.push(`${name} has another list of event_types`);
  if ((current.should_send_custom_events === true) !== hook.sendCustomEvents)
    failures.push(`${name} has should_send_custom_events ${hook.sendCustomEvents ? 'off' : 'on'}`);
  if (current.sns_auth_type !== hook.authType) failures.push(`${name} has another sns_auth_type`);
  else if (hook.authType === 'keys' && current.sns_key !== hook.snsKey) failures.push(`${name} has another sns_key`);
  return failures;
}

/** Whether the SNS secret Stream holds differs from the one given (keys auth, when compared at all). */
function secretDiffers(current: EventHook, hook: WantedHook, compareSecret: boolean): boolean {
  return hook.authType === 'keys' && compareSecret && current.sns_secret !== hook.snsSecret;
}

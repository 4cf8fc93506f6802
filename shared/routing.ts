/**
 * Routing: which Stream hooks this stack registers, which topic each publishes to, and which functions subscribe
 * to each topic. Pure functions of the catalog and three settings, so that the template, the setup, the local run
 * and the tests all derive the same answer from the same inputs (docs/routing.md).
 *
 * Two modes:
 * - `per-category` (default, for apps on multi-event hooks): one hook per named category, listing that category's
 *   types and publishing to that category's own topic, where only its function listens; plus the catch-all hook
 *   on the events topic (`event_types: []`, custom events on), where only `other` listens and drops the named
 *   types that reached their own functions. A named-category event invokes 2 functions, any other event 1.
 * - `single-topic` (apps not migrated): one hook on the events topic, every function subscribed; each drops the
 *   other categories' events. An event invokes every function.
 *
 * Routing is done by Stream's per-hook `event_types`, never by SNS filter policies: those cannot read a base64 or
 * gzip body and discard it from every filtered subscription without a trace.
 *
 * Limitation: an explicit list (a named category's, or any list once `streamEventTypes` narrows it) never receives
 * types that Stream adds later. Only the catch-all's empty list does; with `catchAll: false` the events topic's hook
 * lists exactly the `other` types, and a type Stream introduces after the last sync is not delivered.
 */
import { CATEGORIES, Category as Categories, type Category, EVENT_TYPE_CATEGORY, type KnownEventType } from './catalog.js';
import { RoutingListError } from './errors.js';

/** How events reach the functions. */
export const RoutingMode = {
  /** One hook and one topic per named category, plus the catch-all on the events topic for `other`. */
  PerCategory: 'per-category',
  /** One hook, one topic, every function subscribed. */
  SingleTopic: 'single-topic',
} as const;

/** One of the {@link RoutingMode} values. */
export type RoutingMode = (typeof RoutingMode)[keyof typeof RoutingMode];

/** The routing settings of a stack (serverless.yml params `routing`, `catchAll`, `streamEventTypes`). */
export interface RoutingSettings {
  mode: RoutingMode;
  /**
   * Per-category mode only: `true` gives the events topic's hook an empty list (every type, future ones and custom
   * events included); `false` lists exactly the `other` types, so that each event is published once.
   */
  catchAll: boolean;
  /** Event types the stack wants; empty means every event. A non-empty list narrows every hook to it. */
  streamEventTypes: readonly string[];
}

/** The defaults, as serverless.yml sets them. */
export const ROUTING_DEFAULTS: RoutingSettings = { mode: RoutingMode.PerCategory, catchAll: true, streamEventTypes: [] };

/** The categories that have a topic and a hook of their own in per-category mode: all but `other`. */
export const NAMED_CATEGORIES: readonly Exclude<Category, 'other'>[] = CATEGORIES.filter(
  (category): category is Exclude<Category, 'other'> => category !== Categories.other,
);

/** A hook this stack wants Stream to hold. */
export interface WantedHook {
  /** The topic it publishes to. */
  topicArn: string;
  /** The named category whose hook it is, or `catch-all` for the events topic's hook. */
  role: Exclude<Category, 'other'> | 'catch-all';
  /** Sorted and without repeats; empty means every event type, including those Stream adds later. */
  eventTypes: string[];
  /** `should_send_custom_events`. */
  sendCustomEvents: boolean;
}

/** The topic of a named category: the events topic's name (or ARN) followed by `-<category>`. */
export function categoryTopic(eventsTopic: string, category: Exclude<Category, 'other'>): string {
  return `${eventsTopic}-${category}`;
}

/** The catalog's types of one category, sorted. */
export function catalogTypesOf(category: Category): KnownEventType[] {
  return (Object.keys(EVENT_TYPE_CATEGORY) as KnownEventType[]).filter((type) => EVENT_TYPE_CATEGORY[type] === category).sort();
}

/**
 * The hooks the stack wants, in a stable order (the named categories in catalog order, then the catch-all).
 *
 * A hook whose list would be empty only because narrowing left nothing is left out: an empty `event_types` means
 * every event to Stream, so it is given only to the deliberate catch-all.
 */
export function wantedHooks(eventsTopicArn: string, settings: RoutingSettings): WantedHook[] {
  const narrowed = uniqueSorted(settings.streamEventTypes);
  const wanted = (type: string) => narrowed.length === 0 || narrowed.includes(type);
  if (settings.mode === RoutingMode.SingleTopic) {
    return [{ topicArn: eventsTopicArn, role: 'catch-all', eventTypes: narrowed, sendCustomEvents: narrowed.length === 0 }];
  }
  const named: WantedHook[] = NAMED_CATEGORIES.map((category) => ({
    topicArn: categoryTopic(eventsTopicArn, category),
    role: category,
    eventTypes: catalogTypesOf(category).filter(wanted),
    sendCustomEvents: false,
  }));
  const catchAll: WantedHook =
    narrowed.length > 0
      ? { topicArn: eventsTopicArn, role: 'catch-all', eventTypes: narrowed.filter((type) => !isNamedType(type)), sendCustomEvents: false }
      : settings.catchAll
        ? { topicArn: eventsTopicArn, role: 'catch-all', eventTypes: [], sendCustomEvents: true }
        : { topicArn: eventsTopicArn, role: 'catch-all', eventTypes: catalogTypesOf(Categories.other), sendCustomEvents: true };
  const deliberatelyEmpty = narrowed.length === 0 && settings.catchAll;
  const hooks = [...named, catchAll].filter((hook) => hook.eventTypes.length > 0 || (hook === catchAll && deliberatelyEmpty));
  checkHookLists(hooks, narrowed);
  return hooks;
}

/**
 * Proves the named lists of a set of hooks: pairwise disjoint, and together exactly the catalog's named types (or,
 * when `narrowed` is given and not empty, the named types among it). Throws {@link RoutingListError} saying which
 * type is on two lists, or missing. Run by `serverless package` and by the setup, on the lists they are about to use.
 */
export function checkHookLists(hooks: readonly Pick<WantedHook, 'role' | 'eventTypes'>[], narrowed: readonly string[] = []): void {
  const seen = new Map<string, string>();
  for (const hook of hooks.filter((candidate) => candidate.role !== 'catch-all')) {
    for (const type of hook.eventTypes) {
      const other = seen.get(type);
      if (other !== undefined && other !== hook.role)
        throw new RoutingListError(`"${type}" is on the lists of both ${other} and ${hook.role}`);
      seen.set(type, hook.role);
    }
  }
  const expected = (Object.keys(EVENT_TYPE_CATEGORY) as string[])
    .filter(isNamedType)
    .filter((type) => narrowed.length === 0 || narrowed.includes(type));
  const missing = expected.filter((type) => !seen.has(type));
  const extra = [...seen.keys()].filter((type) => !expected.includes(type));
  if (missing.length > 0) throw new RoutingListError(`no named category's hook lists ${missing.map((type) => `"${type}"`).join(', ')}`);
  if (extra.length > 0)
    throw new RoutingListError(`the named hooks list types the catalog does not name: ${extra.map((type) => `"${type}"`).join(', ')}`);
}

/** Whether the catalog gives a type to a named category (so that, in per-category mode, it has a hook of its own). */
export function isNamedType(type: string): boolean {
  return Object.hasOwn(EVENT_TYPE_CATEGORY, type) && EVENT_TYPE_CATEGORY[type as KnownEventType] !== Categories.other;
}

/** Where a delivery came from, as a function tells it by the record's `Sns.TopicArn`. */
export type DeliveryTopic = { kind: 'category'; category: Exclude<Category, 'other'> } | { kind: 'events' };

/**
 * The topic a delivery came from: the topic of named category C when its ARN's last part is
 * `<eventsTopicName>-<C>`; the events topic for anything else, including a missing or foreign ARN (a sample, a
 * redrive, a direct invocation), which then gets the events topic's rule: the type's category owns it.
 */
export function deliveryTopic(topicArn: string | undefined, eventsTopicName: string): DeliveryTopic {
  const name = typeof topicArn === 'string' ? topicArn.slice(topicArn.lastIndexOf(':') + 1) : '';
  const category = NAMED_CATEGORIES.find((candidate) => name === categoryTopic(eventsTopicName, candidate));
  return category === undefined ? { kind: 'events' } : { kind: 'category', category };
}

/** The functions subscribed to a topic in a mode. */
export function subscribersOf(topic: DeliveryTopic, mode: RoutingMode): Category[] {
  if (mode === RoutingMode.SingleTopic) return topic.kind === 'events' ? [...CATEGORIES] : [];
  return topic.kind === 'events' ? [Categories.other] : [topic.category];
}

/**
 * The topics Stream publishes an event of `type` to, given the hooks it holds: every hook whose list is empty or
 * names the type; for a type the catalog does not know (a custom event), also every hook that sends custom events.
 * An undefined type (a delivery whose type cannot be read) goes to every hook's topic: the worst case.
 *
 * Limitation: how Stream combines `should_send_custom_events` with a positive list is undocumented; this is the
 * local run's model of it, an assumption.
 */
export function topicsCarrying(type: string | undefined, hooks: readonly WantedHook[]): string[] {
  const known = type !== undefined && Object.hasOwn(EVENT_TYPE_CATEGORY, type);
  return hooks
    .filter(
      (hook) => type === undefined || hook.eventTypes.length === 0 || hook.eventTypes.includes(type) || (!known && hook.sendCustomEvents),
    )
    .map((hook) => hook.topicArn);
}

function uniqueSorted(types: readonly string[]): string[] {
  return [...new Set(types.map((type) => type.trim()).filter(Boolean))].sort();
}

/** What a Stream event function knows of the stack's routing: the settings, and the events topic's name. */
export interface FunctionRouting extends RoutingSettings {
  /** The events topic's name (STREAM_EVENTS_TOPIC_NAME): a category's topic is `<this>-<category>`. */
  eventsTopicName: string;
}

/**
 * The types that `other` drops on the events topic in per-category mode, because a hook of this stack sends them to
 * their own category's topic: the named lists of {@link wantedHooks} (with a narrowed `streamEventTypes`, the
 * narrowed lists). Empty with `catchAll: false`: the events topic's hook then lists only `other`'s types, so a named
 * type arriving there reached no other function and must be kept, not dropped. Unused in single-topic mode.
 */
export function droppedOnEventsTopic(settings: RoutingSettings): ReadonlySet<string> {
  if (settings.mode === RoutingMode.SingleTopic || !settings.catchAll) return new Set();
  // The topic's name plays no part in the lists; any string will do.
  return new Set(
    wantedHooks('events', settings)
      .filter((hook) => hook.role !== 'catch-all')
      .flatMap((hook) => hook.eventTypes),
  );
}

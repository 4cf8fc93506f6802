/**
 * The local model of Stream's hooks and the stack's SNS topics: which topics Stream publishes a delivery to, which
 * functions each topic invokes, and the record each of them receives, addressed from that topic (the functions tell
 * the topic by the record's `Sns.TopicArn`). Pure, and derived from shared/routing.ts, the same rules the template
 * and the setup use, so that `npm start`, `npm run replay`, the soak, the benchmark and the routing tests route as
 * Stream and SNS would for the stack's mode.
 *
 * Limitations, and why:
 * - Stream knows an event's type; the local run reads it from the message as a function would (the first `type`
 *   member). A delivery whose type cannot be read (poison) goes to every hook's topic: the worst case.
 * - How Stream combines `should_send_custom_events` with a positive list is undocumented; a type the catalog does not
 *   know is treated as a custom event (shared/routing.ts, topicsCarrying).
 * - Two hooks on one topic would be two publishes; the setup never registers that, and the local run reports such a
 *   function's last outcome.
 */
import type { Category } from '../shared/catalog.js';
import { decodeSnsDelivery, snsMessageOf } from '../shared/decoder.js';
import { PoisonDeliveryError } from '../shared/errors.js';
import { peekEventType } from '../shared/peek.js';
import { deliveryTopic, type RoutingSettings, subscribersOf, topicsCarrying, type WantedHook, wantedHooks } from '../shared/routing.js';

/** The account of the local topics' ARNs (111122223333 is AWS's documentation example). */
export const LOCAL_ACCOUNT = '111122223333';

/** How Stream and SNS route in a local run. */
export interface LocalRouting {
  /** The stack's routing settings (serverless.yml params `routing`, `catchAll`, `streamEventTypes`). */
  settings: RoutingSettings;
  /** The events topic's ARN: the one the operator gives the setup. */
  eventsTopicArn: string;
  /** The hooks Stream holds: by default the ones the setup registers for the settings; a drifted set models a misrouting. */
  hooks: readonly WantedHook[];
}

/** One SNS message Stream publishes for a delivery, and the functions its topic invokes. */
export interface Publication {
  topicArn: string;
  /** The categories whose functions the topic invokes, in catalog order. */
  subscribers: Category[];
  /** The Lambda event each of them receives, its records addressed from `topicArn`. */
  lambdaEvent: string;
}

/** The ARN of a local topic named `topicName`. */
export function localTopicArn(topicName: string, region: string): string {
  return `arn:aws:sns:${region}:${LOCAL_ACCOUNT}:${topicName}`;
}

/** The local routing of a stack: its settings, and the hooks Stream holds (default: those the setup would register). */
export function localRouting(eventsTopicArn: string, settings: RoutingSettings, hooks?: readonly WantedHook[]): LocalRouting {
  return { settings, eventsTopicArn, hooks: hooks ?? wantedHooks(eventsTopicArn, settings) };
}

/**
 * What Stream publishes for one delivery (given as the Lambda event SNS would send from the events topic): one
 * {@link Publication} per topic whose hook carries the delivery's type. None when no hook carries it (a type left out
 * by `streamEventTypes`, or, with `catchAll: false`, a type no list names): Stream would not publish it.
 */
export function publicationsOf(lambdaEvent: string, routing: LocalRouting): Publication[] {
  const eventsTopicName = nameOf(routing.eventsTopicArn);
  return topicsCarrying(streamTypeOf(lambdaEvent), routing.hooks).map((topicArn) => ({
    topicArn,
    subscribers: subscribersOf(deliveryTopic(topicArn, eventsTopicName), routing.settings.mode),
    lambdaEvent: addressedFrom(lambdaEvent, topicArn),
  }));
}

/**
 * The topics the stack's archive subscribes to, so that it keeps each event once: the topic whose hook takes every
 * type (its list empty: single-topic, or per-category with the catch-all), else every topic a hook publishes to
 * (`catchAll: false`, or a narrowed `streamEventTypes`: the lists are then disjoint). The template's rule
 * (template/archive.ts, archivedTopics), applied to the hooks Stream holds, for a local run's archive.
 */
export function archivedTopicArns(routing: LocalRouting): string[] {
  const everyEvent = routing.hooks.find((hook) => hook.eventTypes.length === 0);
  return everyEvent === undefined ? [...new Set(routing.hooks.map((hook) => hook.topicArn))] : [everyEvent.topicArn];
}

/**
 * The type Stream routes a delivery by: its message's first `type` member, read as the functions read it (the peek,
 * else the decoder, else the first type a poison delivery names); undefined when it cannot be read.
 */
export function streamTypeOf(lambdaEvent: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(lambdaEvent);
  } catch {
    return undefined;
  }
  const message = snsMessageOf(parsed);
  const peeked = message === undefined ? undefined : peekEventType(message);
  if (peeked !== undefined) return peeked;
  try {
    return decodeSnsDelivery(parsed).event.type;
  } catch (error) {
    return error instanceof PoisonDeliveryError ? error.firstType : undefined;
  }
}

/**
 * The Lambda event with every SNS record addressed from `topicArn` (`TopicArn`, and the subscription ARN under it),
 * as SNS sends it from that topic. Returned unchanged, byte for byte, when it already is, or when it is not an SNS
 * Lambda event at all (a malformed file is delivered as it is, for the functions to reject).
 */
export function addressedFrom(lambdaEvent: string, topicArn: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(lambdaEvent);
  } catch {
    return lambdaEvent;
  }
  const records = (parsed as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) return lambdaEvent;
  let changed = false;
  for (const record of records) {
    const sns = (record as { Sns?: unknown } | null)?.Sns;
    if (typeof sns !== 'object' || sns === null || (sns as { TopicArn?: unknown }).TopicArn === topicArn) continue;
    (sns as { TopicArn?: unknown }).TopicArn = topicArn;
    const subscription = (record as { EventSubscriptionArn?: unknown }).EventSubscriptionArn;
    const suffix = typeof subscription === 'string' ? subscription.slice(subscription.lastIndexOf(':') + 1) : '';
    (record as { EventSubscriptionArn?: unknown }).EventSubscriptionArn = `${topicArn}:${suffix}`;
    changed = true;
  }
  return changed ? JSON.stringify(parsed) : lambdaEvent;
}

function nameOf(topicArn: string): string {
  return topicArn.slice(topicArn.lastIndexOf(':') + 1);
}

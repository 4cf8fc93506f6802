/**
 * Ownership: which category's function owns a delivery.
 *
 * Every function receives every delivery and none of them talks to another, so each must reach the same verdict
 * from the same bytes: a delivery that every function skips is lost without a trace, one that two functions own
 * runs twice. The verdict is therefore one pure function of the Lambda event, decided here and nowhere else.
 *
 * The rule: **a delivery belongs to the category of its JSON's first top-level `type` member** (document order,
 * after unescaping: `"\u0074ype"` is `type`), when that member's value is a string (shared/catalog.ts: unknown,
 * custom and empty types belong to `other`); **else to `other`**: no such member, a value that is not a string, no
 * JSON object at all. Whatever else is wrong with the document does not move it: the owner keeps it as rejected
 * (a later `type` member with another value: `conflicting_type`; too deep, invalid JSON...), the other four skip.
 *
 * Two readings, one verdict:
 * - The peek (shared/peek.ts) reads the first member when the message plainly starts with it (`{"type":"..."`,
 *   within its first few hundred bytes). It is only a shortcut: it names the same first member that the decoder
 *   would find, so four functions drop the delivery without decoding it.
 * - Otherwise the whole delivery is decoded, and the decoder's pre-scan (shared/json-shape.ts) finds the first
 *   `type` member itself, past any whitespace, escape, gzip header or limit, and the verdict is the same.
 * The one place where layout still matters: when the decoder gets no JSON text at all (a message over 256 KiB, not
 * base64, gzip that does not inflate or inflates past 4 MiB, bytes that are not UTF-8), only the peek can have read
 * the first member, so such a delivery belongs to what the peek read, else to `other`. It is rejected either way.
 *
 * An error that is not poison (a bug, memory) fails the invocation in `other` alone, so that Lambda retries it once
 * rather than five times. test/property/ holds the rule to all of this with generated deliveries and layouts.
 *
 * **The topic a delivery came from** (shared/routing.ts deliveryTopic, from the record's `Sns.TopicArn`) changes the
 * rule, so that routing never drops an event silently (docs/routing.md, "How a function decides"):
 * - On the events topic in single-topic mode (and for a delivery from no topic of this stack: a sample, a redrive):
 *   the rule above. Every function receives it, the owner of the first type keeps it.
 * - On a category's own topic: that category owns every delivery. Its types run; poison is kept with its reason;
 *   a decodable event of another category's type is kept as `misrouted`, naming the type and the topic.
 * - On the events topic in per-category mode, where `other` alone listens: poison is kept by `other` (a type that
 *   cannot be trusted may not be dropped); a type that a hook of this stack sends to its own category's topic
 *   (routing.ts droppedOnEventsTopic) belongs to that category, so `other` drops it; another named category's type
 *   (every one with `catchAll: false`) is kept by `other` as `misrouted`; every other type runs in `other`.
 * Every poison reason, `conflicting_type` first among them, comes before `misrouted`: the whole delivery is decoded
 * before a delivery is called misrouted, and, on the topics where the receiver must keep poison, before any drop.
 * That costs `other` a decode of each named event it drops in per-category mode (the peek serves single-topic mode).
 */
import { Category as Categories, type Category, categoryOf } from './catalog.js';
import { decodeSnsDelivery, snsMessageOf, snsTopicArnOf } from './decoder.js';
import { PoisonDeliveryError, RejectionReason } from './errors.js';
import { logField } from './log-fields.js';
import { peekEventType } from './peek.js';
import { type DeliveryTopic, RoutingMode } from './routing.js';
import type { StreamDelivery } from './types.js';

/** Where a delivery arrived, as the ownership rule needs it. */
export interface Arrival {
  /** The topic it came from (shared/routing.ts deliveryTopic). */
  topic: DeliveryTopic;
  /** The stack's routing mode. */
  mode: RoutingMode;
  /** The types `other` drops on the events topic in per-category mode (shared/routing.ts droppedOnEventsTopic). */
  dropped: ReadonlySet<string>;
}

/** The verdict on one delivery, and what was learnt reaching it. */
export type Ownership =
  /** The peek read the first member; nothing else was decoded. */
  | { owner: Category; basis: 'peeked'; type: string }
  /** The whole delivery decoded to a Stream event. */
  | { owner: Category; basis: 'decoded'; delivery: StreamDelivery }
  /**
   * Decoding failed (a PoisonDeliveryError, or anything else: a bug), or the event does not belong on its topic (a
   * PoisonDeliveryError with reason `misrouted`): the owner keeps it.
   */
  | { owner: Category; basis: 'undecodable'; type: string | undefined; failure: unknown };

/** Decides who owns a delivery. Pure: the same Lambda event and arrival give the same verdict in every function. */
export function ownerOf(lambdaEvent: unknown, arrival: Arrival): Ownership {
  const { topic } = arrival;
  if (topic.kind === 'category') return strictly(lambdaEvent, topic.category, (type) => categoryOf(type) === topic.category);
  if (arrival.mode === RoutingMode.PerCategory) return onCatchAll(lambdaEvent, arrival.dropped);
  return byFirstType(lambdaEvent);
}

/** The rule of a topic every function receives: the owner of the first type keeps it, the others drop it. */
function byFirstType(lambdaEvent: unknown): Ownership {
  const message = snsMessageOf(lambdaEvent);
  const peeked = message === undefined ? undefined : peekEventType(message);
  if (peeked !== undefined) return { owner: categoryOf(peeked), basis: 'peeked', type: peeked };
  const decoded = decoding(lambdaEvent);
  if (decoded.basis === 'decoded') return { owner: categoryOf(decoded.delivery.event.type), ...decoded };
  const { type } = decoded;
  return { owner: type === undefined ? Categories.other : categoryOf(type), ...decoded };
}

/** The events topic in per-category mode: `other` alone receives it, and keeps poison and what it may not drop. */
function onCatchAll(lambdaEvent: unknown, dropped: ReadonlySet<string>): Ownership {
  const decoded = decoding(lambdaEvent);
  if (decoded.basis === 'undecodable') return { owner: Categories.other, ...decoded };
  const { type } = decoded.delivery.event;
  if (dropped.has(type)) return { owner: categoryOf(type), ...decoded };
  return strictly(lambdaEvent, Categories.other, (candidate) => categoryOf(candidate) === Categories.other, decoded);
}

/** A topic whose one subscriber, `owner`, owns every delivery: it runs what `belongs`, keeps everything else. */
function strictly(
  lambdaEvent: unknown,
  owner: Category,
  belongs: (type: string) => boolean,
  decoded: Decoding = decoding(lambdaEvent),
): Ownership {
  if (decoded.basis === 'undecodable' || belongs(decoded.delivery.event.type)) return { owner, ...decoded };
  const { type } = decoded.delivery.event;
  const topicArn = snsTopicArnOf(lambdaEvent) ?? '';
  const failure = new PoisonDeliveryError(
    RejectionReason.Misrouted,
    `the event type "${logField(type)}" belongs to ${categoryOf(type)}, not on topic ${logField(topicArn.slice(topicArn.lastIndexOf(':') + 1))}`,
    { firstType: type },
  );
  return { owner, basis: 'undecodable', type, failure };
}

/** A delivery decoded, or why not. */
type Decoding = { basis: 'decoded'; delivery: StreamDelivery } | { basis: 'undecodable'; type: string | undefined; failure: unknown };

/** The whole delivery decoded, or why not (a PoisonDeliveryError names the first type it read). */
function decoding(lambdaEvent: unknown): Decoding {
  try {
    return { basis: 'decoded', delivery: decodeSnsDelivery(lambdaEvent) };
  } catch (failure) {
    return { basis: 'undecodable', type: failure instanceof PoisonDeliveryError ? failure.firstType : undefined, failure };
  }
}

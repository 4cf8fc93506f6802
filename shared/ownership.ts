/**
 * Ownership: which category's function owns a delivery.
 *
 * Every function receives every delivery and none of them talks to another, so each must reach the same verdict
 * from the same bytes: a delivery that every function skips is lost without a trace, one that two functions own
 * runs twice. The verdict is therefore one pure function of the Lambda event, decided here and nowhere else:
 *
 * 1. When the SNS message's first key plainly names a type (shared/peek.ts), the owner is that type's category,
 *    outright. Nothing after the first key can change it: the owner decodes the rest and rejects what fails or
 *    contradicts the first key (`conflicting_type`), the others skip after reading a few hundred bytes.
 * 2. Otherwise the whole delivery is decoded: a Stream event belongs to its type's category (shared/catalog.ts;
 *    unknown and custom types belong to `other`).
 * 3. A delivery that cannot be decoded belongs to `other`, whatever the reason: poison is kept as rejected there,
 *    and an unexpected error fails there alone, so that Lambda retries it once rather than five times.
 *
 * The owner then processes the event, finds it a duplicate, keeps it as rejected, or fails for a retry; the other
 * four skip it. test/property/ownership.test.ts holds the rule to that with generated deliveries.
 */
import { type Category, Category as Categories, categoryOf } from './catalog.js';
import { decodeSnsDelivery, snsMessageOf } from './decoder.js';
import { peekEventType } from './peek.js';
import type { StreamDelivery } from './types.js';

/** The verdict on one delivery, and what was learnt reaching it. */
export type Ownership =
  /** Rule 1: decided by the first key; nothing else was decoded. */
  | { owner: Category; basis: 'peeked'; type: string }
  /** Rule 2: the whole delivery decoded to a Stream event. */
  | { owner: Category; basis: 'decoded'; delivery: StreamDelivery }
  /** Rule 3: decoding failed, with a PoisonDeliveryError or anything else. */
  | { owner: typeof Categories.other; basis: 'undecodable'; failure: unknown };

/** Decides who owns a delivery. Pure: the same Lambda event gives the same verdict in every function. */
export function ownerOf(lambdaEvent: unknown): Ownership {
  const message = snsMessageOf(lambdaEvent);
  const peeked = message === undefined ? undefined : peekEventType(message);
  if (peeked !== undefined) return { owner: categoryOf(peeked), basis: 'peeked', type: peeked };
  try {
    const delivery = decodeSnsDelivery(lambdaEvent);
    return { owner: categoryOf(delivery.event.type), basis: 'decoded', delivery };
  } catch (failure) {
    return { owner: Categories.other, basis: 'undecodable', failure };
  }
}

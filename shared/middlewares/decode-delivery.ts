/**
 * Middleware 1 of every Stream event function: decides who owns the delivery (shared/ownership.ts) and, in the
 * owner only, decodes it into a Stream event.
 *
 * Another category's delivery is left as undecoded as the ownership rule allows (usually: a peek at its first
 * bytes). In the owner, `request.event` becomes a {@link DecodedInvocation} holding the delivery or the reason it
 * is poison, the way middy's parsers replace what they parse. Poison does not throw here; an unexpected error
 * does, in the owner alone, so that Lambda retries it.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Category } from '../catalog.js';
import { decodeSnsDelivery } from '../decoder.js';
import { PoisonDeliveryError, RejectionReason } from '../errors.js';
import { type Ownership, ownerOf } from '../ownership.js';
import type { StreamDelivery } from '../types.js';

/** What the steps after decoding see in `request.event`. */
export interface DecodedInvocation {
  /** The category whose function owns the delivery. */
  owner: Category;
  /** The event type, when one could be read. */
  type: string | undefined;
  /** In the owner: the decoded delivery, unless it is poison. */
  delivery?: StreamDelivery;
  /** In the owner: why the delivery is poison. */
  rejection?: PoisonDeliveryError;
  /** The Lambda event as it came. */
  lambdaEvent: unknown;
}

/** The decode step of the function that owns `category`. */
export function decodeDelivery(category: Category): MiddlewareObj {
  const decodeDeliveryBefore = (request: { event: unknown }): void => {
    const lambdaEvent = request.event;
    const ownership = ownerOf(lambdaEvent);
    const type = ownership.basis === 'peeked' ? ownership.type : ownership.basis === 'decoded' ? ownership.delivery.event.type : undefined;
    const decoded: DecodedInvocation = { owner: ownership.owner, type, lambdaEvent };
    if (ownership.owner === category) {
      const outcome = decodeOwned(ownership, lambdaEvent);
      if (outcome instanceof PoisonDeliveryError) decoded.rejection = outcome;
      else decoded.delivery = outcome;
    }
    request.event = decoded;
  };
  // Stryker disable next-line StringLiteral: middy reads a middleware's name only for its timing plugins, unused here
  return { name: 'decodeDelivery', before: decodeDeliveryBefore };
}

/** The owner's decoding: the delivery, or why it is poison. Throws what is not poison. */
function decodeOwned(ownership: Ownership, lambdaEvent: unknown): StreamDelivery | PoisonDeliveryError {
  if (ownership.basis === 'decoded') return ownership.delivery;
  if (ownership.basis === 'undecodable') {
    if (ownership.failure instanceof PoisonDeliveryError) return ownership.failure;
    throw ownership.failure;
  }
  let delivery: StreamDelivery;
  try {
    delivery = decodeSnsDelivery(lambdaEvent);
  } catch (error) {
    if (error instanceof PoisonDeliveryError) return error;
    throw error;
  }
  if (delivery.event.type !== ownership.type) {
    return new PoisonDeliveryError(
      RejectionReason.ConflictingType,
      `the first key names "${ownership.type}", the parsed event "${delivery.event.type.slice(0, 200)}"`,
    );
  }
  return delivery;
}

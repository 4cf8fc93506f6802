/**
 * Middleware 1 of every Stream event function: decodes the SNS delivery into a Stream event, as far as this
 * function needs it.
 *
 * It first peeks at the event type (the first bytes of the message, see `peekEventType`). When the type belongs to
 * another category, nothing more is decoded: the guard will drop the event, and the rest of the message is that
 * category's business. Otherwise the whole delivery is decoded and checked. Either way `request.event` becomes a
 * {@link DecodedInvocation}, the way middy's parsers replace what they parse. Poison input does not throw here:
 * it is recorded as a rejection, owned by the peeked type when there was one, so that exactly one function keeps
 * it.
 */
import type { MiddlewareObj } from '@middy/core';
import { type Category, categoryOf } from '../catalog.js';
import { decodeSnsDelivery, peekEventType } from '../decoder.js';
import { PoisonDeliveryError, RejectionReason } from '../errors.js';
import type { StreamDelivery } from '../types.js';

/** What the steps after decoding see in `request.event`. */
export type DecodedInvocation =
  | { delivery: StreamDelivery; rejection?: undefined; foreignType?: undefined; lambdaEvent: unknown }
  | { delivery?: undefined; rejection: PoisonDeliveryError; foreignType?: undefined; lambdaEvent: unknown }
  /** Another category's event, known from its peeked type and left undecoded. */
  | { delivery?: undefined; rejection?: undefined; foreignType: string; lambdaEvent: unknown };

/** The decode step of the function that owns `category`. */
export function decodeDelivery(category: Category): MiddlewareObj {
  const decodeDeliveryBefore = (request: { event: unknown }): void => {
    const lambdaEvent = request.event;
    const peeked = peekEventType(lambdaEvent);
    if (peeked !== undefined && categoryOf(peeked) !== category) {
      request.event = { foreignType: peeked, lambdaEvent } satisfies DecodedInvocation;
      return;
    }
    try {
      const delivery = decodeSnsDelivery(lambdaEvent);
      if (peeked !== undefined && delivery.event.type !== peeked) {
        throw new PoisonDeliveryError(RejectionReason.InvalidType, `the JSON names two types, "${peeked}" first`, peeked);
      }
      request.event = { delivery, lambdaEvent } satisfies DecodedInvocation;
    } catch (error) {
      if (!(error instanceof PoisonDeliveryError)) throw error;
      const rejection = peeked === undefined ? error : error.ownedBy(peeked);
      request.event = { rejection, lambdaEvent } satisfies DecodedInvocation;
    }
  };
  return { name: 'decodeDelivery', before: decodeDeliveryBefore };
}

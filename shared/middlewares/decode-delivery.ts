/**
 * Middleware 1 of every Stream event function: decodes the SNS delivery into a Stream event.
 *
 * It replaces `request.event` with a {@link DecodedInvocation}, the way middy's parsers replace what they parse:
 * the steps after it (and the handler) work on the decoded delivery, never on raw SNS. Poison input does not
 * throw here: it is recorded as a rejection so that the category guard can decide which function keeps it.
 */
import type { MiddlewareObj } from '@middy/core';
import { decodeSnsDelivery } from '../decoder.js';
import { PoisonDeliveryError } from '../errors.js';
import type { StreamDelivery } from '../types.js';

/** What the steps after decoding see in `request.event`: a delivery, or the reason it could not be decoded. */
export type DecodedInvocation =
  | { delivery: StreamDelivery; rejection?: undefined; lambdaEvent: unknown }
  | { delivery?: undefined; rejection: PoisonDeliveryError; lambdaEvent: unknown };

/** The decode step. */
export function decodeDelivery(): MiddlewareObj {
  const decodeDeliveryBefore = (request: { event: unknown }): void => {
    const lambdaEvent = request.event;
    try {
      request.event = { delivery: decodeSnsDelivery(lambdaEvent), lambdaEvent } satisfies DecodedInvocation;
    } catch (error) {
      if (!(error instanceof PoisonDeliveryError)) throw error;
      request.event = { rejection: error, lambdaEvent } satisfies DecodedInvocation;
    }
  };
  return { name: 'decodeDelivery', before: decodeDeliveryBefore };
}

/**
 * Middleware 1 of every Stream event function: decides who owns the delivery (shared/ownership.ts) and, in the
 * owner only, decodes it into a Stream event.
 *
 * What it learnt goes where middy keeps per-request state, `request.internal.invocation` ({@link Invocation}),
 * for steps 2 and 3 to read. Only an owned, decoded delivery replaces `request.event`, with the
 * {@link OwnedDelivery} the handler receives (the {@link StreamDelivery}, and the `streamReprocess` request that
 * `npm run reprocess` adds beside `Records`: shared/reprocess.ts), the way middy's parsers replace what they parse: the Lambda event
 * stays as it came for everything else. Another category's delivery is left as undecoded as the ownership rule
 * allows (usually: a peek at its first bytes). Poison does not throw here; an unexpected error does, in the owner
 * alone, so that Lambda retries it.
 */
import type { MiddlewareObj, Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Category } from '../catalog.js';
import { decodeSnsDelivery, snsTopicArnOf } from '../decoder.js';
import { PoisonDeliveryError } from '../errors.js';
import { type Arrival, type Ownership, ownerOf } from '../ownership.js';
import { type ReprocessRequest, readReprocessRequest } from '../reprocess.js';
import { type DeliveryTopic, deliveryTopic, droppedOnEventsTopic, type FunctionRouting } from '../routing.js';
import type { InvocationResult, StreamDelivery } from '../types.js';

/** What step 1 decided about one invocation. */
export type Invocation =
  /** Another category's delivery: skipped by step 2. */
  | { kind: 'foreign'; owner: Category; type: string | undefined }
  /** This category's, and poison: kept by step 3. */
  | { kind: 'poison'; rejection: PoisonDeliveryError; type: string | undefined; lambdaEvent: unknown }
  /** This category's, decoded: `request.event` is now the {@link OwnedDelivery}, for the handler. */
  | { kind: 'owned'; delivery: StreamDelivery; reprocess: ReprocessRequest | undefined };

/** What the handler step receives: the decoded delivery and, for a reprocess (shared/reprocess.ts), its request. */
export interface OwnedDelivery {
  delivery: StreamDelivery;
  /** Undefined for every SNS delivery; set when `npm run reprocess` sent the event again. */
  reprocess: ReprocessRequest | undefined;
}

/** The per-request state of a Stream event function's chain, in `request.internal`. */
export type StreamEventInternal = { invocation: Invocation };

/** A request as steps 1-3 see it: the Lambda event (as it came, unless step 1 replaced it) and the state. */
export type StreamEventRequest = Request<unknown, InvocationResult, Error, Context, StreamEventInternal>;

/**
 * The decode step of the function that owns `category`, under the stack's `routing` (which topic a delivery came
 * from, and what the ownership rule makes of it there: shared/ownership.ts).
 */
export function decodeDelivery(
  category: Category,
  routing: FunctionRouting,
): MiddlewareObj<unknown, InvocationResult, Error, Context, StreamEventInternal> {
  // Computed once per cold start: the lists are the catalog's, and the settings do not change while it runs.
  const dropped = droppedOnEventsTopic(routing);
  const arrivalOf = (lambdaEvent: unknown): Arrival => ({
    topic: deliveryTopic(snsTopicArnOf(lambdaEvent), routing.eventsTopicName) satisfies DeliveryTopic,
    mode: routing.mode,
    dropped,
  });
  const decodeDeliveryBefore = (request: StreamEventRequest): void => {
    const ownership = ownerOf(request.event, arrivalOf(request.event));
    if (ownership.owner !== category) {
      request.internal.invocation = { kind: 'foreign', owner: ownership.owner, type: typeOf(ownership) };
      return;
    }
    const decoded = decodeOwned(ownership, request.event);
    if (decoded instanceof PoisonDeliveryError) {
      request.internal.invocation = { kind: 'poison', rejection: decoded, type: typeOf(ownership), lambdaEvent: request.event };
      return;
    }
    let reprocess: ReprocessRequest | undefined;
    try {
      reprocess = readReprocessRequest(request.event);
    } catch (error) {
      // Only a PoisonDeliveryError can come from the reader.
      request.internal.invocation = {
        kind: 'poison',
        rejection: error as PoisonDeliveryError,
        type: typeOf(ownership),
        lambdaEvent: request.event,
      };
      return;
    }
    request.internal.invocation = { kind: 'owned', delivery: decoded, reprocess };
    request.event = { delivery: decoded, reprocess } satisfies OwnedDelivery;
  };
  return { before: decodeDeliveryBefore };
}

/** The type the ownership rule read, when it read one. */
function typeOf(ownership: Ownership): string | undefined {
  return ownership.basis === 'decoded' ? ownership.delivery.event.type : ownership.type;
}

/** The owner's decoding: the delivery, or why it is poison. Throws what is not poison. */
function decodeOwned(ownership: Ownership, lambdaEvent: unknown): StreamDelivery | PoisonDeliveryError {
  if (ownership.basis === 'decoded') return ownership.delivery;
  // Stryker disable next-line BlockStatement: equivalent: decoding an undecodable delivery again fails the same way (the decoder is pure), at twice the cost
  if (ownership.basis === 'undecodable') {
    if (ownership.failure instanceof PoisonDeliveryError) return ownership.failure;
    throw ownership.failure;
  }
  try {
    // The peek read the first `type` member; the decoder finds it again, with any later one that disagrees.
    return decodeSnsDelivery(lambdaEvent);
  } catch (error) {
    if (error instanceof PoisonDeliveryError) return error;
    throw error;
  }
}

/**
 * Middleware 3: keeps a poison delivery where a person can find it and ends the invocation without a retry.
 *
 * A retry cannot fix poison input, so the invocation succeeds once the rejection is kept: one ERROR log line with
 * the reason and the head of the message, one `RejectedEvents` metric, and one message in the rejected-deliveries
 * queue with the whole delivery. If the queue cannot be reached, the invocation fails instead, so that Lambda
 * retries and, at worst, the dead-letter queue keeps it: a rejection is never dropped.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Category } from '../catalog.js';
import { logField } from '../log-fields.js';
import { countOutcome, logger } from '../observability.js';
import type { RejectedDeliveryStore } from '../rejected-deliveries.js';
import { type InvocationResult, Outcome } from '../types.js';
import type { StreamEventInternal, StreamEventRequest } from './decode-delivery.js';

/** How much of a rejected message the log line shows; the queue keeps all of it. */
const LOGGED_MESSAGE_HEAD_CHARACTERS = 2_048;

/** The keep-rejected step of the function that owns `category`. */
export function keepRejected(
  category: Category,
  store: RejectedDeliveryStore,
): MiddlewareObj<unknown, InvocationResult, Error, Context, StreamEventInternal> {
  const keepRejectedBefore = async (request: StreamEventRequest): Promise<InvocationResult | undefined> => {
    const { invocation } = request.internal;
    if (invocation.kind !== 'poison') return undefined;
    const { rejection, lambdaEvent } = invocation;
    // Both come from the delivery, and either can be thousands of characters: capped, in the log and the queue.
    const type = invocation.type === undefined ? undefined : logField(invocation.type);
    const messageId = readMessageId(lambdaEvent);
    const snsMessageId = messageId === undefined ? undefined : logField(messageId);
    logger.error('Rejected a poison delivery; it is kept in the rejected-deliveries queue and not retried', {
      category,
      reason: rejection.reason,
      detail: rejection.message,
      // Undefined values leave no key in the JSON line.
      eventType: type,
      snsMessageId,
      messageHead: readMessage(lambdaEvent)?.slice(0, LOGGED_MESSAGE_HEAD_CHARACTERS),
    });
    await store.keep(
      {
        category,
        reason: rejection.reason,
        detail: rejection.message,
        eventType: type,
        snsMessageId,
        lambdaEvent,
      },
      request.context,
    );
    countOutcome(category, Outcome.Rejected);
    return { outcome: Outcome.Rejected, category, type: type ?? null, reason: rejection.reason };
  };
  return { before: keepRejectedBefore };
}

// Tolerant readers, not the decoder's: a rejected delivery may have two records or none, and the person who reads
// the log line still wants whatever MessageId and message head it holds.
function snsOf(lambdaEvent: unknown): Record<string, unknown> | null | undefined {
  const record = (lambdaEvent as { Records?: unknown })?.Records;
  const first = Array.isArray(record) ? (record[0] as { Sns?: unknown } | undefined) : undefined;
  // Whatever Sns holds (null, a string...), the readers below find no string property in it but a real one.
  return first?.Sns as Record<string, unknown> | null | undefined;
}

function readMessageId(lambdaEvent: unknown): string | undefined {
  const id = snsOf(lambdaEvent)?.MessageId;
  return typeof id === 'string' ? id : undefined;
}

function readMessage(lambdaEvent: unknown): string | undefined {
  const message = snsOf(lambdaEvent)?.Message;
  return typeof message === 'string' ? message : undefined;
}

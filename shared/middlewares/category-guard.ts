/**
 * Middleware 2: the category guard. In single-topic routing every function receives every Stream event (Stream
 * sets no SNS message attributes, so subscription filter policies have nothing to route on); the guard ends the
 * invocation of every function but the owner at once, with no I/O and no error.
 *
 * It only reads: who owns the delivery was decided in step 1, by the one rule in shared/ownership.ts.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Category } from '../catalog.js';
import { countOutcome } from '../observability.js';
import { type InvocationResult, Outcome } from '../types.js';
import type { StreamEventInternal, StreamEventRequest } from './decode-delivery.js';

/** The guard of the function that owns `category`. */
export function categoryGuard(category: Category): MiddlewareObj<unknown, InvocationResult, Error, Context, StreamEventInternal> {
  const categoryGuardBefore = (request: StreamEventRequest): InvocationResult | undefined => {
    const { invocation } = request.internal;
    if (invocation.kind !== 'foreign') return undefined;
    countOutcome(category, Outcome.Skipped);
    // Returning a value ends the invocation here: middy skips the rest of the chain and the handler.
    return { outcome: Outcome.Skipped, category, type: invocation.type ?? null };
  };
  return { before: categoryGuardBefore };
}

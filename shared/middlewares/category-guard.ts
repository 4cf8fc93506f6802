/**
 * Middleware 2: the category guard. Every function receives every Stream event (Stream sets no SNS message
 * attributes, so subscription filter policies have nothing to route on); the guard ends the invocation of every
 * function but the owner at once, with no I/O and no error.
 *
 * It only compares: who owns the delivery was decided in step 1, by the one rule in shared/ownership.ts.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Category } from '../catalog.js';
import { countOutcome } from '../observability.js';
import { type InvocationResult, Outcome } from '../types.js';
import type { DecodedInvocation } from './decode-delivery.js';

/** The guard of the function that owns `category`. */
export function categoryGuard(category: Category): MiddlewareObj<DecodedInvocation> {
  const categoryGuardBefore = (request: { event: DecodedInvocation }): InvocationResult | undefined => {
    const { owner, type } = request.event;
    if (owner === category) return undefined;
    countOutcome(category, Outcome.Skipped);
    // Returning a value ends the invocation here: middy skips the rest of the chain and the handler.
    return { outcome: Outcome.Skipped, category, type: type ?? null };
  };
  // Stryker disable next-line StringLiteral: middy reads a middleware's name only for its timing plugins, unused here
  return { name: 'categoryGuard', before: categoryGuardBefore };
}

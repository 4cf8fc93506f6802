/**
 * Middleware 2: the category guard. Every function receives every Stream event (Stream sets no SNS message
 * attributes, so subscription filter policies have nothing to route on); the guard ends the invocation of every
 * function but the owner at once, with no I/O and no error.
 *
 * Ownership: a decoded event belongs to the category of its type (shared/catalog.ts). A rejected delivery
 * belongs to the category of the type read before it failed, or to `other` when no type could be read, so that
 * exactly one function keeps each rejection instead of five.
 */
import type { MiddlewareObj } from '@middy/core';
import { type Category, categoryOf } from '../catalog.js';
import { countOutcome } from '../observability.js';
import { type InvocationResult, Outcome } from '../types.js';
import type { DecodedInvocation } from './decode-delivery.js';

/** The guard of the function that owns `category`. */
export function categoryGuard(category: Category): MiddlewareObj<DecodedInvocation> {
  const categoryGuardBefore = (request: { event: DecodedInvocation }): InvocationResult | undefined => {
    const { delivery, rejection, foreignType } = request.event;
    const type = delivery?.event.type ?? rejection?.eventType ?? foreignType;
    if (categoryOf(type ?? '') === category) return undefined;
    countOutcome(category, Outcome.Skipped);
    // Returning a value ends the invocation here: middy skips the rest of the chain and the handler.
    return { outcome: Outcome.Skipped, category, type: type ?? null };
  };
  return { name: 'categoryGuard', before: categoryGuardBefore };
}

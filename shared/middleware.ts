/**
 * The whole per-event path of a Stream event function, in one place.
 *
 * ```
 * SNS -> Lambda event
 *   1 decodeDelivery   who owns it (one rule: shared/ownership.ts); in the owner,         shared/middlewares/decode-delivery.ts
 *                      SNS record -> Stream event (or why it is poison)
 *   2 categoryGuard    not this category's event: return at once, no I/O               shared/middlewares/category-guard.ts
 *   3 keepRejected     poison owned by this category: log, count, queue; no retry      shared/middlewares/keep-rejected.ts
 *   4 handler          idempotent(dispatch by event.type to the customer's handler)     shared/idempotency.ts
 * ```
 *
 * The order is the point: the guard comes before anything that costs (four functions out of five drop every
 * event), rejections are kept by their owner only, and the idempotent step wraps only the customer's code, so a
 * foreign or poison delivery never touches DynamoDB.
 */
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Category } from './catalog.js';
import { type IdempotencyOptions, type IdempotentRunner, createIdempotentRunner } from './idempotency.js';
import { categoryGuard } from './middlewares/category-guard.js';
import { type DecodedInvocation, decodeDelivery } from './middlewares/decode-delivery.js';
import { keepRejected } from './middlewares/keep-rejected.js';
import { countOutcome, eventLogger } from './observability.js';
import {
  type RejectedDeliveryStore,
  logOnlyRejectedDeliveryStore,
  sqsRejectedDeliveryStore,
} from './rejected-deliveries.js';
import type { CategoryHandlers, InvocationResult, StreamDelivery, StreamEventHandler } from './types.js';

/** Options of a Stream event function; {@link defaultFunctionOptions} fills what is left out. */
export interface StreamEventFunctionOptions {
  /** Where rejected deliveries are kept. */
  rejectedDeliveries: RejectedDeliveryStore;
  /** Options of the idempotent step (table, record lifetime, DynamoDB client). */
  idempotency: Partial<IdempotencyOptions>;
}

/**
 * The defaults, from the environment serverless.yml sets. Under `serverless invoke local` (IS_LOCAL) and the
 * local run (STREAM_LOCAL_RUN) there is no queue: rejections are kept in the log line only.
 */
export function defaultFunctionOptions(): StreamEventFunctionOptions {
  const local = process.env.IS_LOCAL === 'true' || process.env.STREAM_LOCAL_RUN === 'true';
  return {
    rejectedDeliveries: local
      ? logOnlyRejectedDeliveryStore
      : sqsRejectedDeliveryStore(process.env.REJECTED_DELIVERIES_QUEUE ?? 'stream-chat-events-dev-rejected'),
    idempotency: {},
  };
}

/**
 * Builds the Lambda handler of one category from the customer's handlers. Call it once, at module level, in
 * `functions/<category>/handler.ts`: clients and loggers are built here, once per cold start.
 *
 * @param category - the category this function owns (shared/catalog.ts).
 * @param handlers - one handler per event type, and `fallback` for the category's other types.
 * @param options - overrides of {@link defaultFunctionOptions}, for tests.
 */
export function streamEventFunction<C extends Category>(
  category: C,
  handlers: CategoryHandlers<C>,
  options: Partial<StreamEventFunctionOptions> = {},
): MiddyfiedHandler<unknown, InvocationResult> {
  const { rejectedDeliveries, idempotency } = { ...defaultFunctionOptions(), ...options };
  const runIdempotently = createIdempotentRunner(category, idempotency);
  const dispatch = dispatchByType(handlers);

  // The event is the raw Lambda event until step 1 replaces it with the decoded invocation, hence `any` here.
  return middy<any, InvocationResult>()
    .use(decodeDelivery(category))
    .use(categoryGuard(category))
    .use(keepRejected(category, rejectedDeliveries))
    .handler(async (decoded: unknown, lambdaContext: Context): Promise<InvocationResult> => {
      // Only owned, decoded deliveries get here: steps 2 and 3 returned early for the rest.
      const { delivery } = decoded as DecodedInvocation & { delivery: StreamDelivery };
      return handleOwnedDelivery(category, delivery, lambdaContext, runIdempotently, dispatch);
    });
}

async function handleOwnedDelivery(
  category: Category,
  delivery: StreamDelivery,
  lambdaContext: Context,
  runIdempotently: IdempotentRunner,
  dispatch: (delivery: StreamDelivery) => StreamEventHandler,
): Promise<InvocationResult> {
  const logger = eventLogger(category, delivery);
  if (delivery.createdAt === undefined && delivery.event.created_at !== undefined) {
    logger.warn('created_at cannot be read as a date; the handler gets createdAt undefined', {
      createdAt: String(delivery.event.created_at).slice(0, 64),
    });
  }
  const handler = dispatch(delivery);
  let outcome: Awaited<ReturnType<IdempotentRunner>>;
  try {
    outcome = await runIdempotently(delivery, lambdaContext, async () =>
      handler(delivery.event, { logger, sns: delivery.sns, createdAt: delivery.createdAt, lambdaContext }),
    );
  } catch (error) {
    // Lambda retries the invocation (twice), then the dead-letter queue keeps it.
    logger.error('The event failed and will be retried', error as Error);
    throw error;
  }
  countOutcome(category, outcome);
  if (outcome === 'duplicate') logger.info('Duplicate delivery: the event was already processed');
  return { outcome, category, type: delivery.event.type };
}

/** Picks the handler registered for the event's type, or the category's fallback. */
function dispatchByType<C extends Category>(handlers: CategoryHandlers<C>) {
  const byType = new Map<string, StreamEventHandler>();
  for (const [type, handler] of Object.entries(handlers)) {
    if (type !== 'fallback' && typeof handler === 'function') byType.set(type, handler as StreamEventHandler);
  }
  return (delivery: StreamDelivery): StreamEventHandler => byType.get(delivery.event.type) ?? handlers.fallback;
}

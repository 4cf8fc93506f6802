/**
 * The whole per-event path of a Stream event function, in one place.
 *
 * ```
 * SNS -> Lambda event
 *   0 lambdaContextInLogs  every log line of the invocation carries its request id and cold-start flag
 *   1 decodeDelivery   who owns it, by its topic (one rule: shared/ownership.ts); in the owner,  shared/middlewares/decode-delivery.ts
 *                      SNS record -> Stream event (or why it is poison or misrouted), and any
 *                      reprocess request (shared/reprocess.ts), in request.internal
 *   2 categoryGuard    not this category's event: return at once, no I/O               shared/middlewares/category-guard.ts
 *   3 keepRejected     poison owned by this category: log, count, queue; no retry      shared/middlewares/keep-rejected.ts
 *   4 handler          idempotent(dispatch by event.type to the customer's handler),   shared/idempotency.ts
 *                      with EventAge (or ReplayedEventAge) beside the outcome, FailedEvents before a failure
 * ```
 *
 * The order is the point: the guard comes before anything that costs (four functions out of five drop every
 * event), rejections are kept by their owner only, and the idempotent step wraps only the customer's code, so a
 * foreign or poison delivery never touches DynamoDB.
 */
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Category } from './catalog.js';
import { requiredSetting, routingFromEnvironment } from './configuration.js';
import { EventInProgressError } from './errors.js';
import { checkHandlerKeys } from './handler-keys.js';
import { createIdempotentRunner, type IdempotencyOptions, type IdempotentRunner } from './idempotency.js';
import { categoryGuard } from './middlewares/category-guard.js';
import { decodeDelivery, type OwnedDelivery, type StreamEventInternal } from './middlewares/decode-delivery.js';
import { keepRejected } from './middlewares/keep-rejected.js';
import { countConcurrentDuplicate, countFailure, countOutcome, eventAge, eventLogger, logger } from './observability.js';
import { type RejectedDeliveryStore, sqsRejectedDeliveryStore } from './rejected-deliveries.js';
import type { ReprocessRequest } from './reprocess.js';
import type { FunctionRouting } from './routing.js';
import type { CategoryHandlers, InvocationResult, StreamDelivery, StreamEventContext, StreamEventHandler } from './types.js';

/** Options of a Stream event function; {@link resolveFunctionOptions} fills what is left out. */
export interface StreamEventFunctionOptions {
  /**
   * Where rejected deliveries are kept. Default: the stack's queue; the local run and `serverless invoke local`
   * inject the log line only (logOnlyRejectedDeliveryStore) through {@link INJECTED_OPTIONS_KEY}.
   */
  rejectedDeliveries: RejectedDeliveryStore;
  /** Options of the idempotent step (table, record lifetime, DynamoDB client). */
  idempotency: Partial<IdempotencyOptions>;
  /**
   * The stack's routing: mode, catch-all, narrowed types and the events topic's name (shared/ownership.ts reads the
   * topic a delivery came from with them). Default: the environment serverless.yml sets
   * (shared/configuration.ts routingFromEnvironment); what is given here replaces it field by field.
   */
  routing: Partial<FunctionRouting>;
}

/**
 * Where a host that runs the functions outside Lambda puts the options it injects, before it loads a handler module:
 * `globalThis[Symbol.for('stream-chat-sns-lambda.functionOptions')] = { rejectedDeliveries: logOnlyRejectedDeliveryStore }`.
 * The local run's execution environments (emulator/lambda-worker.cjs) and `serverless invoke local` do, as there is
 * no queue there. A global and not an import, because every function's bundle holds its own copy of this module.
 *
 * Limitation: whoever runs code in the function's process can set it; in Lambda nothing does.
 */
export const INJECTED_OPTIONS_KEY = Symbol.for('stream-chat-sns-lambda.functionOptions');

/** The options a host injected under {@link INJECTED_OPTIONS_KEY}, if any. */
function injectedOptions(): Partial<StreamEventFunctionOptions> {
  return ((globalThis as Record<symbol, unknown>)[INJECTED_OPTIONS_KEY] as Partial<StreamEventFunctionOptions> | undefined) ?? {};
}

/**
 * The defaults, applied in one place: what the caller gives, else what a host injected ({@link INJECTED_OPTIONS_KEY}),
 * else the deployed default. The queue's name and the table's come from the environment serverless.yml sets, and a
 * function without one fails here, at cold start (shared/configuration.ts).
 */
function resolveFunctionOptions(
  given: Partial<StreamEventFunctionOptions>,
): Omit<StreamEventFunctionOptions, 'routing'> & { routing: FunctionRouting } {
  const options = { ...injectedOptions(), ...given };
  return {
    rejectedDeliveries: options.rejectedDeliveries ?? sqsRejectedDeliveryStore(requiredSetting('REJECTED_DELIVERIES_QUEUE')),
    idempotency: options.idempotency ?? {},
    routing: { ...routingFromEnvironment(), ...options.routing },
  };
}

/**
 * Builds the Lambda handler of one category from the customer's handlers. Call it once, at module level, in
 * `functions/<category>/handler.ts`: clients and loggers are built here, once per cold start.
 *
 * @param category - the category this function owns (shared/catalog.ts).
 * @param handlers - one handler per event type, and `fallback` for the category's other types.
 * @param options - overrides of the defaults (see {@link resolveFunctionOptions}), for tests.
 * @throws HandlerKeyError at initialisation when `handlers` names a type of another category (shared/handler-keys.ts).
 * @throws ConfigurationError at cold start when a deployed function's environment lacks a setting.
 */
export function streamEventFunction<C extends Category>(
  category: C,
  handlers: CategoryHandlers<C>,
  options: Partial<StreamEventFunctionOptions> = {},
): MiddyfiedHandler<unknown, InvocationResult> {
  // First: a handler it can never receive is the mistake to report, before any setting the environment lacks.
  checkHandlerKeys(category, Object.keys(handlers));
  const { rejectedDeliveries, idempotency, routing } = resolveFunctionOptions(options);
  const runIdempotently = createIdempotentRunner(category, idempotency);

  const fn = buildChain(category, handlers, rejectedDeliveries, runIdempotently, routing);
  // What it was built from, for the test kit to build the same function on in-memory stores (testing/index.ts).
  Object.defineProperty(fn, STREAM_EVENT_FUNCTION, { value: { category, handlers } satisfies StreamEventFunctionDefinition<C> });
  return fn;
}

/** The key under which a Stream event function keeps what it was built from ({@link definitionOf}). */
const STREAM_EVENT_FUNCTION = Symbol('streamEventFunction');

/** What {@link streamEventFunction} built a function from. */
export interface StreamEventFunctionDefinition<C extends Category = Category> {
  category: C;
  handlers: CategoryHandlers<C>;
}

/**
 * The category and handlers a function returned by {@link streamEventFunction} was built from; undefined for any
 * other value. The test kit (testing/index.ts) builds the same function again on stores of its own with them.
 */
export function definitionOf(fn: unknown): StreamEventFunctionDefinition | undefined {
  if (typeof fn !== 'function') return undefined;
  return (fn as unknown as Record<symbol, StreamEventFunctionDefinition | undefined>)[STREAM_EVENT_FUNCTION];
}

function buildChain<C extends Category>(
  category: C,
  handlers: CategoryHandlers<C>,
  rejectedDeliveries: RejectedDeliveryStore,
  runIdempotently: IdempotentRunner,
  routing: FunctionRouting,
): MiddyfiedHandler<unknown, InvocationResult> {
  const dispatch = dispatchByType(handlers);
  // The chain's event type is what the handler receives, the delivery step 1 decoded; `.handler<unknown>` keeps the
  // function's own type what Lambda passes in. Steps 1-3 read the Lambda event as `unknown` and share their state
  // in request.internal (shared/middlewares/decode-delivery.ts).
  return middy<OwnedDelivery, InvocationResult, Error, Context, StreamEventInternal>()
    .use(lambdaContextInLogs)
    .use(decodeDelivery(category, routing))
    .use(categoryGuard(category))
    .use(keepRejected(category, rejectedDeliveries))
    .handler<unknown, InvocationResult>(async ({ delivery, reprocess }, lambdaContext, { signal }) => {
      // Only owned, decoded deliveries get here: steps 2 and 3 returned early for the rest.
      const handler = dispatch(delivery);
      return handleOwnedDelivery(
        category,
        delivery,
        reprocess,
        runIdempotently,
        (context) => handler(delivery.event, { ...context, lambdaContext, signal }),
        lambdaContext,
      );
    });
}

/**
 * Step 0: every log line of the invocation carries its request id, cold-start flag and function (Powertools
 * Logger's Lambda context), and none carries the previous event's keys. Powertools' own `injectLambdaContext`
 * middleware does the same and also resets the log level on every invocation (for its sampling feature, unused
 * here), which would undo a level set at run time.
 */
const lambdaContextInLogs = {
  before: function lambdaContextInLogsBefore(request: { context: Context }): void {
    logger.resetKeys();
    logger.addContext(request.context);
  },
} as const;

async function handleOwnedDelivery(
  category: Category,
  delivery: StreamDelivery,
  reprocess: ReprocessRequest | undefined,
  runIdempotently: IdempotentRunner,
  runHandler: (context: Pick<StreamEventContext, 'logger' | 'sns' | 'createdAt'>) => Promise<unknown> | unknown,
  lambdaContext: Context,
): Promise<InvocationResult> {
  const logger = eventLogger(category, delivery);
  if (delivery.createdAt === undefined && delivery.event.created_at !== undefined) {
    // As JSON: String() of an object such as {"toString":0} throws.
    logger.warn('created_at cannot be read as a date; the handler gets createdAt undefined', {
      createdAt: JSON.stringify(delivery.event.created_at).slice(0, 64),
    });
  }
  // Measured when the event reaches its owner, before its code runs, whatever the outcome.
  const age = eventAge(delivery.createdAt, reprocess !== undefined);
  let outcome: Awaited<ReturnType<IdempotentRunner>>;
  try {
    outcome = await runIdempotently(
      delivery,
      lambdaContext,
      async () => runHandler({ logger, sns: delivery.sns, createdAt: delivery.createdAt }),
      reprocess?.label,
    );
  } catch (error) {
    if (error instanceof EventInProgressError) {
      // Harmless: the other invocation finishes the event, and this one's retry finds it done.
      countConcurrentDuplicate(category);
      logger.warn('The same event is running in another invocation; Lambda will retry this one', { detail: error.message });
    } else {
      // Lambda retries the invocation (twice), then the dead-letter queue keeps it.
      countFailure(category, age);
      logger.error('The event failed and will be retried', error as Error);
    }
    throw error;
  }
  countOutcome(category, outcome, age);
  if (outcome === 'duplicate') logger.info('Duplicate delivery: the event was already processed');
  return { outcome, category, type: delivery.event.type };
}

/**
 * Picks the handler registered for the event's type, or the category's fallback. A Map, not a property lookup on
 * `handlers`: a custom event type such as `constructor` must not find an Object property. `fallback` itself needs
 * no exclusion: an event of that type gets the fallback either way.
 */
function dispatchByType<C extends Category>(handlers: CategoryHandlers<C>) {
  const byType = new Map(Object.entries(handlers) as Array<[string, StreamEventHandler | undefined]>);
  return (delivery: StreamDelivery): StreamEventHandler => byType.get(delivery.event.type) ?? handlers.fallback;
}

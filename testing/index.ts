/**
 * The test kit for your own handlers: build a Stream event of any catalog type, wrap it as SNS delivers it, and run
 * a category's function in-process through the real middleware chain (decode, category guard, keep rejected,
 * idempotency) with in-memory stores. docs/add-code.md shows a test written with it.
 *
 * ```ts
 * const messages = await categoryUnderTest(() => import('../functions/messages/handler.js'));
 * const first = await messages.deliver(streamEvent('message.new', { message: { id: 'm1', text: 'hello' } }));
 * first.outcome; // 'processed'; first.logs: the lines your handler logged; first.rejected: what was kept as poison
 * ```
 *
 * Why a module of its own, outside shared/ and emulator/: shared/ is what the functions ship (the kit must never be
 * bundled into a Lambda function, and nothing in shared/ imports it), and the emulator runs built bundles in worker
 * threads, where a test cannot reach its own handler's mocks. The kit runs your handler in the test's own process,
 * so `vi.spyOn(globalThis, 'fetch')` and fake timers apply to it.
 *
 * Limitations: the stores live as long as the value {@link categoryUnderTest} returns (make one per test for a
 * clean slate); log lines are captured by replacing process.stdout/stderr's `write` during a delivery, so deliveries
 * take turns, one at a time in the process, even when started at once; the Lambda context is a local one (emulator/lambda-context.cjs) with the given timeout. The
 * DynamoDB-backed behaviour (conditional writes, outages) is proven against DynamoDB Local by the template's own
 * tests (test/integration/), not here.
 */
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import type { SNSEvent } from 'aws-lambda';
import { encodeMessage, lambdaContext, samples, snsLambdaEvent, stableMessageId } from '../emulator/index.js';
import { type Category, categoryOf, type KnownEventType } from '../shared/catalog.js';
import { definitionOf, INJECTED_OPTIONS_KEY, streamEventFunction } from '../shared/middleware.js';
import { logger } from '../shared/observability.js';
import { logOnlyRejectedDeliveryStore, type RejectedDelivery } from '../shared/rejected-deliveries.js';
import { type InvocationResult, MessageEncoding, type Outcome, type StreamEvent } from '../shared/types.js';
import { inMemoryIdempotencyStore, inMemoryIdempotencyStores } from './in-memory-store.js';

export { MessageEncoding } from '../shared/types.js';

/** Every encoding Stream may use for the SNS message, to run a test in each. */
export const ENCODINGS: readonly MessageEncoding[] = Object.values(MessageEncoding);

/** The `created_at` of an event built from no sample: fixed, so that the same overrides make the same event. */
const DEFAULT_CREATED_AT = '2026-07-14T12:00:00.000Z';

/** Overrides of an event's fields: objects are merged member by member, anything else replaces; `undefined` removes. */
export type EventOverrides<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: EventOverrides<T[K]> } : T;

/**
 * A Stream event of type `type`, built from the project's samples (events/samples/): the sample of that type when
 * there is one, else a sample of the same category with its type replaced (so a `reaction.deleted` carries the
 * message, user and channel of the `reaction.new` sample), else just the type and a `created_at`; then `overrides`.
 * Limitation: a type built from another type's sample has that sample's fields, which Stream may not send for it.
 */
export function streamEvent<T extends KnownEventType>(type: T, overrides: EventOverrides<StreamEvent<T>> = {}): StreamEvent<T> {
  const all = samples();
  const base = all.find((sample) => sample.type === type) ?? all.find((sample) => categoryOf(sample.type) === categoryOf(type));
  const event = { created_at: DEFAULT_CREATED_AT, ...structuredClone(base?.event ?? {}), type };
  return merge(event, overrides) as StreamEvent<T>;
}

function merge(target: Record<string, unknown>, overrides: object): Record<string, unknown> {
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete target[key];
    else if (isPlainObject(value) && isPlainObject(target[key])) target[key] = merge(target[key], value);
    else target[key] = structuredClone(value);
  }
  return target;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How {@link snsDelivery} wraps an event. */
export interface DeliveryOptions {
  /** How Stream encoded the message. Default: base64 of gzip, as Stream sends with compression on. */
  encoding: MessageEncoding;
  /** The SNS MessageId. Default: derived from the message, so the same event gets the same id (an SNS redelivery). */
  messageId: string;
  /** The topic the delivery came from. Default: the dev stage's events topic. */
  topicArn: string | undefined;
}

/**
 * The Lambda event SNS hands a function for `event`: the event's JSON (or `event` itself when it is text, delivered
 * as it is: malformed input included) in `encoding`, inside `{ Records: [ { EventSource: 'aws:sns', Sns } ] }`.
 */
export function snsDelivery(event: StreamEvent | string, options: Partial<DeliveryOptions> = {}): SNSEvent {
  const json = typeof event === 'string' ? event : JSON.stringify(event);
  const { encoding, messageId, topicArn } = {
    encoding: MessageEncoding.Base64Gzip,
    messageId: stableMessageId(json),
    topicArn: undefined,
    ...options,
  };
  return snsLambdaEvent(encodeMessage(json, encoding), { messageId, ...(topicArn === undefined ? {} : { topicArn }) });
}

/** One line your function logged: Powertools' JSON line, parsed. */
export type LogLine = Record<string, unknown> & { level: string; message: string };

/** How one delivery went. */
export interface Delivered {
  /** `processed` (your handler ran), `duplicate`, `skipped` (another category's), `rejected` (poison), or `failed` (it threw). */
  outcome: Outcome | 'failed';
  /** What the function returned; undefined when it threw. */
  result: InvocationResult | undefined;
  /** What it threw: Lambda would retry the delivery (twice), then keep it in the dead-letter queue. */
  error: Error | undefined;
  /** The JSON lines logged during the delivery (metric lines left out). */
  logs: LogLine[];
  /** What this delivery kept as rejected (poison), with its reason. */
  rejected: RejectedDelivery[];
}

/** Options of {@link CategoryUnderTest.deliver}. */
export interface DeliverOptions extends DeliveryOptions {
  /** The invocation's timeout: the handler's `signal` aborts at it. Default 30 s, the functions' timeout. */
  timeoutMs: number;
  /** The log level during the delivery. Default INFO, as deployed. */
  logLevel: LogLevel;
}

/** A category's function on in-memory stores. */
export interface CategoryUnderTest {
  category: Category;
  /** Delivers a Stream event (wrapped as SNS delivers it) or a whole Lambda event as it is. */
  deliver(event: StreamEvent | SNSEvent | string, options?: Partial<DeliverOptions>): Promise<Delivered>;
  /** Everything kept as rejected so far. */
  rejected: RejectedDelivery[];
}

type Loader = () => Promise<{ handler: unknown }>;

/**
 * A category's function, built as `streamEventFunction` built it (same category, same handlers, the real chain),
 * on an in-memory idempotency store and an in-memory rejected-deliveries store, both kept for this value's life.
 *
 * @param fn - the `handler` your functions/<category>/handler.ts exports, or a loader of that module
 *   (`() => import('./handler.js')`): loaded under the local settings, it needs no environment variables.
 * @throws TypeError when `fn` was not built by `streamEventFunction`.
 */
export async function categoryUnderTest(fn: unknown): Promise<CategoryUnderTest> {
  const definition = definitionOf(fn) ?? definitionOf(typeof fn === 'function' ? (await loadLocally(fn as Loader)).handler : undefined);
  if (definition === undefined)
    throw new TypeError('categoryUnderTest takes a handler built by streamEventFunction, or a loader of its module');
  const rejected: RejectedDelivery[] = [];
  const { category, handlers } = definition;
  const handler = streamEventFunction(category, handlers, {
    idempotency: { persistenceLayer: inMemoryIdempotencyStores(), tableName: 'in-memory' },
    rejectedDeliveries: { keep: async (rejection) => void rejected.push(rejection) },
  });
  return {
    category,
    rejected,
    deliver(event, options = {}) {
      // One delivery at a time in the process: each replaces stdout's and stderr's write while it runs.
      const turn = deliveries.then(() => deliverNow(event, options));
      deliveries = turn.then(
        () => undefined,
        () => undefined,
      );
      return turn;
    },
  };

  async function deliverNow(event: StreamEvent | SNSEvent | string, options: Partial<DeliverOptions>): Promise<Delivered> {
    const { timeoutMs = 30_000, logLevel = 'INFO', ...wrapping } = options;
    const lambdaEvent = isLambdaEvent(event) ? event : snsDelivery(event, wrapping);
    const keptBefore = rejected.length;
    const capture = captureLines();
    const previousLevel = logger.getLevelName();
    logger.setLogLevel(logLevel);
    let result: InvocationResult | undefined;
    let error: Error | undefined;
    try {
      result = (await handler(
        lambdaEvent,
        lambdaContext({ functionName: `stream-chat-events-test-${category}`, timeoutMs }),
      )) as InvocationResult;
    } catch (thrown) {
      error = thrown as Error;
    } finally {
      logger.setLogLevel(previousLevel);
      capture.stop();
    }
    return {
      outcome: result?.outcome ?? 'failed',
      result,
      error,
      logs: capture.lines().filter((line): line is LogLine => typeof line.level === 'string'),
      rejected: rejected.slice(keptBefore),
    };
  }
}

/** The last delivery's turn: the next one starts when it has ended (see {@link captureLines}). */
let deliveries: Promise<void> = Promise.resolve();

function isLambdaEvent(event: unknown): event is SNSEvent {
  return isPlainObject(event) && 'Records' in event;
}

/** Loads under way: the injected options stay until the last one has ended (loads may run at once). */
let loading = 0;
let injectedBefore: unknown;

/**
 * Imports the handler's module with the stores a host injects (shared/middleware.ts INJECTED_OPTIONS_KEY), so that
 * building its `handler` at module level needs none of the settings serverless.yml gives a deployed function; then
 * puts back what was injected before. The kit builds the function again on its own stores either way.
 */
async function loadLocally(load: Loader): Promise<{ handler: unknown }> {
  const global = globalThis as Record<symbol, unknown>;
  if (loading === 0) injectedBefore = global[INJECTED_OPTIONS_KEY];
  loading += 1;
  global[INJECTED_OPTIONS_KEY] = {
    rejectedDeliveries: logOnlyRejectedDeliveryStore,
    idempotency: { tableName: 'in-memory', persistenceLayer: () => inMemoryIdempotencyStore() },
  };
  try {
    return await load();
  } finally {
    loading -= 1;
    if (loading === 0) {
      if (injectedBefore === undefined) delete global[INJECTED_OPTIONS_KEY];
      else global[INJECTED_OPTIONS_KEY] = injectedBefore;
    }
  }
}

/** Captures what is written to stdout and stderr until `stop`, without printing it. */
function captureLines(): { lines(): Array<Record<string, unknown>>; stop(): void } {
  const written: string[] = [];
  const restore = [process.stdout, process.stderr].map((stream) => {
    const original = stream.write;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof stream.write;
    return () => {
      stream.write = original;
    };
  });
  return {
    lines: () =>
      written
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        })
        .filter((line) => !('_aws' in line)),
    stop: () => {
      for (const undo of restore) undo();
    },
  };
}

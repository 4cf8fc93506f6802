/**
 * The local run's engine, shared by `npm start`, `npm run replay`, the soak and the benchmarks: DynamoDB Local
 * (or an existing endpoint), the idempotency table as the packaged template defines it, the functions built as
 * deploy builds them (or a build given), and in front of them Stream's hooks and the stack's topics as the routing
 * mode makes them (emulator/local-sns.ts), each topic fanning out to its subscribers.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import type { Category } from '../shared/catalog.js';
import { categoryOf } from '../shared/catalog.js';
import type { RoutingSettings, WantedHook } from '../shared/routing.js';
import type { InvocationResult } from '../shared/types.js';
import { type Build, buildService } from './build.js';
import { createIdempotencyTable, type DynamoDBLocal, LOCAL_AWS_ENV, startDynamoDBLocal } from './dynamodb-local.js';
import { type FunctionReport, LocalFanOut } from './fanout.js';
import { type LocalRouting, localRouting, type Publication, publicationsOf, streamTypeOf } from './local-sns.js';

/** One delivery to make: where it came from, and the Lambda event as JSON text. */
export interface Delivery {
  source: string;
  lambdaEvent: string;
}

/** What became of one delivery, read from the function that owned it. */
export interface DeliveryResult {
  source: string;
  type: string | null;
  category: Category | null;
  /**
   * `unpublished`: no hook Stream holds carries the delivery's type (left out by `streamEventTypes`, or not listed
   * with `catchAll: false`), so Stream would not publish it and no function runs it.
   */
  outcome: 'processed' | 'duplicate' | 'rejected' | 'failed' | 'unpublished';
  /** Why, for `rejected` (the rejection reason), `failed` (the last error) and `unpublished`. */
  reason?: string;
  /** Exactly the functions the delivery reached, and its outcome in each (`skipped` where it dropped the delivery). */
  functions: Record<string, InvocationResult['outcome'] | 'failed'>;
  /** The Lambda invocations the delivery made (one per function per topic it reached; retries not counted). */
  invocations: number;
}

/** The outcomes of a delivery, in the order reports list them. */
export const DELIVERY_OUTCOMES = [
  'processed',
  'duplicate',
  'rejected',
  'failed',
  'unpublished',
] as const satisfies readonly DeliveryResult['outcome'][];

const PROJECT_DIR = fileURLToPath(new URL('../', import.meta.url));

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** Use this DynamoDB instead of starting DynamoDB Local. */
  endpoint: string | undefined;
  /** Fixed port for DynamoDB Local (0: any free port). */
  port: number;
  retryDelaysMs: readonly number[];
  /** Retries on the retry clock (default true); see emulator/fanout.ts FanOutOptions. */
  retryClock: boolean;
  /** Receives every line the functions log. */
  onLogLine: (functionName: string, line: string) => void;
  /** Environment for the functions, on top of the one serverless.yml gives them. */
  environment: Record<string, string>;
  /**
   * A build to run (from `openBuild`, or the soak's with its own handlers); the stack leaves it in place when it
   * stops. By default the service is built, and the build removed at the end.
   */
  build: Build | undefined;
  /** The serverless service whose functions are built when no build is given (default: this project). */
  serviceDir: string;
  /** Where on-failure records go (default: `<service>/.local/dead-letters`). */
  deadLetterDir: string | undefined;
  /**
   * Routing settings that replace the packaged ones (`npm start -- --routing single-topic`); the functions get the
   * matching STREAM_ROUTING, STREAM_CATCH_ALL and STREAM_EVENT_TYPES, as a deploy in that mode would give them.
   */
  routing: Partial<RoutingSettings>;
  /** The hooks Stream holds, instead of those the setup registers for the routing: a drifted app, or a switch half done. */
  hooks: readonly WantedHook[] | undefined;
  /**
   * Told of every SNS message Stream publishes, before its topic invokes anything (a local archive keeps those of
   * the topics `archivedTopicArns` names). Not called for a service without a Stream hook.
   */
  onPublish: (publication: Publication, delivery: Delivery) => void;
}

/** A running local stack. */
export interface LocalStack {
  endpoint: string;
  fanOut: LocalFanOut;
  /** How Stream and SNS route here; undefined for a service without a Stream hook, whose functions all get every delivery. */
  routing: LocalRouting | undefined;
  /** The DynamoDB Local this stack started, if it started one. */
  dynamoDB: DynamoDBLocal | undefined;
  /** Delivers one event as Stream publishes it (to each topic whose hook carries its type) and reads the owner's outcome. */
  deliver(delivery: Delivery): Promise<DeliveryResult>;
  /** Delivers many, `concurrency` at a time; results in input order. */
  deliverAll(deliveries: readonly Delivery[], concurrency: number, onDone?: () => void): Promise<DeliveryResult[]>;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local (unless given an endpoint), creates the table, builds the functions, opens the fan-out. */
export async function startLocalStack(options: Partial<LocalStackOptions> = {}): Promise<LocalStack> {
  const {
    endpoint: given,
    port,
    retryDelaysMs,
    retryClock,
    onLogLine,
    environment,
    build: givenBuild,
    serviceDir,
    deadLetterDir,
    routing: routingOverrides,
    hooks,
    onPublish,
  } = {
    endpoint: undefined,
    port: 0,
    retryDelaysMs: [250, 500],
    retryClock: true,
    onLogLine: () => undefined,
    environment: {},
    build: undefined,
    serviceDir: PROJECT_DIR,
    deadLetterDir: undefined,
    routing: {},
    hooks: undefined,
    onPublish: () => undefined,
    ...options,
  };
  let dynamoDB: DynamoDBLocal | undefined;
  /** The build this stack made, which it removes. */
  let ownBuild: Build | undefined;
  try {
    const [started, built] = await Promise.allSettled([
      given === undefined ? startDynamoDBLocal({ port }) : Promise.resolve(undefined),
      givenBuild ?? buildService({ serviceDir }),
    ]);
    if (started.status === 'fulfilled') dynamoDB = started.value;
    if (built.status === 'fulfilled' && givenBuild === undefined) ownBuild = built.value;
    if (started.status === 'rejected') throw started.reason;
    if (built.status === 'rejected') throw built.reason;
    const build = built.value;
    const endpoint = given ?? dynamoDB!.endpoint;
    const tableName =
      environment.IDEMPOTENCY_TABLE ?? build.functions[0]?.environment.IDEMPOTENCY_TABLE ?? build.idempotencyTable.tableName;
    await createIdempotencyTable(endpoint, build.idempotencyTable, tableName).catch((error: Error) => {
      if (error.name !== 'ResourceInUseException') throw error;
    });
    const routing =
      build.routing === undefined
        ? undefined
        : localRouting(build.routing.eventsTopicArn, { ...build.routing.settings, ...routingOverrides }, hooks);
    const fanOut = new LocalFanOut(build.functions, {
      environment: {
        ...LOCAL_AWS_ENV,
        AWS_ENDPOINT_URL_DYNAMODB: endpoint,
        STREAM_LOCAL_RUN: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_METRICS_DISABLED: 'true',
        // serverless.yml's applicationLogLevel, whatever the calling shell (or test runner) has set.
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...(routing === undefined
          ? {}
          : {
              STREAM_ROUTING: routing.settings.mode,
              STREAM_CATCH_ALL: String(routing.settings.catchAll),
              STREAM_EVENT_TYPES: routing.settings.streamEventTypes.join(','),
            }),
        ...environment,
      },
      retryDelaysMs,
      retryClock,
      onLogLine,
      deadLetterDir: deadLetterDir ?? join(serviceDir, '.local', 'dead-letters'),
    });
    const deliver = async (delivery: Delivery) => {
      const publications: Publication[] =
        routing === undefined
          ? [{ topicArn: '', subscribers: [], lambdaEvent: delivery.lambdaEvent }]
          : publicationsOf(delivery.lambdaEvent, routing);
      if (routing !== undefined) for (const publication of publications) onPublish(publication, delivery);
      const reports = await Promise.all(
        publications.map(({ lambdaEvent, subscribers }) => fanOut.deliver(lambdaEvent, routing === undefined ? undefined : subscribers)),
      );
      return ownerResult(delivery, reports.flat());
    };
    const stack: LocalStack = {
      endpoint,
      fanOut,
      routing,
      dynamoDB,
      deliver,
      async deliverAll(deliveries, concurrency, onDone) {
        const limit = pLimit(Math.max(1, concurrency));
        return Promise.all(
          deliveries.map((delivery) =>
            limit(async () => {
              const result = await deliver(delivery);
              onDone?.();
              return result;
            }),
          ),
        );
      },
      async stop() {
        await fanOut.close();
        await dynamoDB?.stop();
        ownBuild?.remove();
      },
    };
    return stack;
  } catch (error) {
    await dynamoDB?.stop();
    ownBuild?.remove();
    throw error;
  }
}

/**
 * The delivery's outcome, read from the functions it reached: the one that did not skip it (the owner), a failure
 * after retries, or none at all (no function owned it: lost, reported as failed).
 */
function ownerResult({ source, lambdaEvent }: Delivery, reports: readonly FunctionReport[]): DeliveryResult {
  const functions = Object.fromEntries(
    reports.map((report) => [report.function, report.error === undefined ? report.result.outcome : ('failed' as const)]),
  );
  const invocations = reports.length;
  const streamType = streamTypeOf(lambdaEvent) ?? null;
  const base = { source, type: streamType, category: streamType === null ? null : categoryOf(streamType), functions, invocations };
  if (reports.length === 0) {
    const what = streamType === null ? 'an event without a readable type' : `"${streamType}"`;
    return { ...base, outcome: 'unpublished', reason: `no hook Stream holds carries ${what}: Stream does not publish it` };
  }
  const failed = reports.find((report) => report.error !== undefined);
  if (failed?.error !== undefined) {
    return {
      ...base,
      category: failed.function as Category,
      outcome: 'failed',
      reason: `${failed.error.errorType}: ${failed.error.errorMessage}`,
    };
  }
  // Poison may be kept by every function it reached (its type cannot be read, so none may drop it): the result names
  // the one the events topic's rule gives it to, so that a report's rows do not depend on the order of the topics.
  const ran = reports.filter((report) => report.result !== undefined && report.result.outcome !== 'skipped');
  const owner = ran.find((report) => report.function === categoryOf(streamType ?? '')) ?? ran[0];
  if (owner?.result === undefined) return { ...base, outcome: 'failed', reason: 'no function owned the event' };
  const { outcome, type, category, reason } = owner.result;
  return {
    ...base,
    type,
    category,
    outcome: outcome as DeliveryResult['outcome'],
    ...(reason === undefined ? {} : { reason }),
  };
}

/**
 * Counts per category and outcome, the invocations (in all, and per category: what the routing mode costs), the
 * rejections with their reasons, the failures, and the deliveries Stream would not publish.
 */
export function summarize(results: readonly DeliveryResult[]) {
  const outcomes = () => Object.fromEntries(DELIVERY_OUTCOMES.map((outcome) => [outcome, 0])) as Record<DeliveryResult['outcome'], number>;
  const byCategory: Record<string, Record<DeliveryResult['outcome'] | 'invocations', number>> = {};
  const byOutcome = outcomes();
  let invocations = 0;
  for (const result of results) {
    const key = result.category ?? 'unowned';
    byCategory[key] ??= { ...outcomes(), invocations: 0 };
    byCategory[key][result.outcome] += 1;
    byCategory[key].invocations += result.invocations;
    byOutcome[result.outcome] += 1;
    invocations += result.invocations;
  }
  const withReason = (outcome: DeliveryResult['outcome']) =>
    results.filter((r) => r.outcome === outcome).map(({ source, reason }) => ({ source, reason }));
  return {
    deliveries: results.length,
    invocations,
    byOutcome,
    byCategory,
    rejected: withReason('rejected'),
    failed: withReason('failed'),
    unpublished: withReason('unpublished'),
  };
}

/**
 * The local run's engine, shared by `npm start`, `npm run replay`, the soak and the benchmarks: DynamoDB Local
 * (or an existing endpoint), the idempotency table as the packaged template defines it, the functions built as
 * deploy builds them (or a build given), and the local SNS fan-out in front of them.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import type { Category } from '../shared/catalog.js';
import { categoryOf } from '../shared/catalog.js';
import { decodeSnsDelivery } from '../shared/decoder.js';
import type { InvocationResult } from '../shared/types.js';
import { type Build, buildService } from './build.js';
import { createIdempotencyTable, type DynamoDBLocal, LOCAL_AWS_ENV, startDynamoDBLocal } from './dynamodb-local.js';
import { type FunctionReport, LocalFanOut } from './fanout.js';

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
  outcome: 'processed' | 'duplicate' | 'rejected' | 'failed';
  /** Why, for `rejected` (the rejection reason) and `failed` (the last error). */
  reason?: string;
  /** Every function the delivery reached, and its outcome there (`skipped` where it dropped the delivery). */
  functions: Record<string, InvocationResult['outcome'] | 'failed'>;
}

const PROJECT_DIR = fileURLToPath(new URL('../', import.meta.url));

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** Use this DynamoDB instead of starting DynamoDB Local. */
  endpoint: string | undefined;
  /** Fixed port for DynamoDB Local (0: any free port). */
  port: number;
  retryDelaysMs: readonly number[];
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
}

/** A running local stack. */
export interface LocalStack {
  endpoint: string;
  fanOut: LocalFanOut;
  /** The DynamoDB Local this stack started, if it started one. */
  dynamoDB: DynamoDBLocal | undefined;
  /** Delivers one event to every function and reads the owner's outcome. */
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
    onLogLine,
    environment,
    build: givenBuild,
    serviceDir,
    deadLetterDir,
  } = {
    endpoint: undefined,
    port: 0,
    retryDelaysMs: [250, 500],
    onLogLine: () => undefined,
    environment: {},
    build: undefined,
    serviceDir: PROJECT_DIR,
    deadLetterDir: undefined,
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
    const fanOut = new LocalFanOut(build.functions, {
      environment: {
        ...LOCAL_AWS_ENV,
        AWS_ENDPOINT_URL_DYNAMODB: endpoint,
        STREAM_LOCAL_RUN: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_METRICS_DISABLED: 'true',
        // serverless.yml's applicationLogLevel, whatever the calling shell (or test runner) has set.
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...environment,
      },
      retryDelaysMs,
      onLogLine,
      deadLetterDir: deadLetterDir ?? join(serviceDir, '.local', 'dead-letters'),
    });
    const deliver = async (delivery: Delivery) => ownerResult(delivery, await fanOut.deliver(delivery.lambdaEvent));
    const stack: LocalStack = {
      endpoint,
      fanOut,
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

/** The owner's outcome: every function but the owner skips a delivery. */
function ownerResult({ source, lambdaEvent }: Delivery, reports: readonly FunctionReport[]): DeliveryResult {
  const functions = Object.fromEntries(
    reports.map((report) => [report.function, report.error === undefined ? report.result.outcome : ('failed' as const)]),
  );
  const failed = reports.find((report) => report.error !== undefined);
  if (failed?.error !== undefined) {
    const type = typeOf(lambdaEvent);
    return {
      source,
      type,
      category: failed.function as Category,
      outcome: 'failed',
      reason: `${failed.error.errorType}: ${failed.error.errorMessage}`,
      functions,
    };
  }
  const owner = reports.find((report) => report.result !== undefined && report.result.outcome !== 'skipped');
  if (owner?.result === undefined) {
    const type = reports[0]?.result?.type ?? null;
    return {
      source,
      type,
      category: type === null ? null : categoryOf(type),
      outcome: 'failed',
      reason: 'no function owned the event',
      functions,
    };
  }
  const { outcome, type, category, reason } = owner.result;
  return {
    source,
    type,
    category,
    outcome: outcome as DeliveryResult['outcome'],
    ...(reason === undefined ? {} : { reason }),
    functions,
  };
}

function typeOf(lambdaEvent: string): string | null {
  try {
    return decodeSnsDelivery(JSON.parse(lambdaEvent)).event.type;
  } catch {
    return null;
  }
}

/** Counts per category and outcome, the rejections with their reasons, and the failures. */
export function summarize(results: readonly DeliveryResult[]) {
  const byCategory: Record<string, Record<DeliveryResult['outcome'], number>> = {};
  const byOutcome: Record<DeliveryResult['outcome'], number> = { processed: 0, duplicate: 0, rejected: 0, failed: 0 };
  for (const result of results) {
    const key = result.category ?? 'unowned';
    byCategory[key] ??= { processed: 0, duplicate: 0, rejected: 0, failed: 0 };
    byCategory[key][result.outcome] += 1;
    byOutcome[result.outcome] += 1;
  }
  return {
    deliveries: results.length,
    byOutcome,
    byCategory,
    rejected: results.filter((r) => r.outcome === 'rejected').map(({ source, reason }) => ({ source, reason })),
    failed: results.filter((r) => r.outcome === 'failed').map(({ source, reason }) => ({ source, reason })),
  };
}

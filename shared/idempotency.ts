/**
 * The idempotent step: runs the customer's code once per distinct Stream event, with Powertools idempotency on
 * DynamoDB.
 *
 * Key: `<category>#<hash>`, where the hash is over the event's SHA-256 ({@link StreamDelivery.eventHash}), the
 * hash of the decoded JSON. An SNS redelivery (same MessageId), a Lambda retry and a re-publish by Stream (new
 * MessageId, maybe another encoding) therefore share one key, and two distinct events about the same object (two
 * reactions on one message) do not.
 *
 * Why `makeIdempotent` around an inner function and not Powertools' middy middleware: in 2.35.0 that
 * middleware's onError deletes an in-progress record it never acquired, so a concurrent duplicate lets a third
 * delivery run the handler again (test/integration/idempotency.test.ts keeps a test that catches it).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyUnknownError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import type { Category } from './catalog.js';
import { EventInProgressError, IdempotencyStoreUnavailableError } from './errors.js';
import { Outcome } from './types.js';
import type { StreamDelivery } from './types.js';

/** Options of the idempotent step; {@link IDEMPOTENCY_DEFAULTS} fills what is left out. */
export interface IdempotencyOptions {
  /** The DynamoDB table (partition key `id`, TTL on `expiration`). */
  tableName: string;
  /**
   * How long an event is remembered as done. Duplicates arrive within Lambda's 6-hour retry window for a failed
   * asynchronous event, and SNS keeps retrying a Lambda it cannot reach for about 23 days: 25 days covers both.
   * A record is about 200 bytes, so this costs cents per million events; past it, delivery is at-least-once.
   */
  recordLifetimeSeconds: number;
  /** The DynamoDB client. The default fails fast: see {@link createDynamoDBClient}. */
  dynamoDB: DynamoDBClient;
}

/** Defaults of {@link IdempotencyOptions}, from the environment serverless.yml sets. */
export const IDEMPOTENCY_DEFAULTS = {
  tableName: process.env.IDEMPOTENCY_TABLE ?? 'stream-chat-events-dev-idempotency',
  recordLifetimeSeconds: 25 * 24 * 60 * 60,
} as const;

/**
 * A DynamoDB client that fails well inside the function's timeout: 1 s to connect, 2 s per request, 3 attempts.
 * The SDK's defaults would wait minutes on a dead connection; a failed invocation is retried by Lambda, so
 * failing fast loses nothing. `AWS_ENDPOINT_URL_DYNAMODB` points it at DynamoDB Local.
 */
export function createDynamoDBClient(): DynamoDBClient {
  return new DynamoDBClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
}

/** The per-invocation state the idempotent function reports back through. */
interface Run {
  execute: () => Promise<unknown>;
  executed: boolean;
}

/** Runs the work of one delivery at most once per event; answers whether it ran (`processed`) or not. */
export type IdempotentRunner = (
  delivery: StreamDelivery,
  lambdaContext: Context,
  execute: () => Promise<unknown>,
) => Promise<typeof Outcome.Processed | typeof Outcome.Duplicate>;

/**
 * Builds the idempotent step of one category's function. Call once per module: the persistence layer keeps the
 * key prefix of the category it was built for.
 */
export function createIdempotentRunner(category: Category, options: Partial<IdempotencyOptions> = {}): IdempotentRunner {
  const { tableName, recordLifetimeSeconds, dynamoDB } = {
    ...IDEMPOTENCY_DEFAULTS,
    ...options,
    dynamoDB: options.dynamoDB ?? createDynamoDBClient(),
  };
  const idempotent = makeIdempotent(
    async (_key: { eventHash: string }, _lambdaContext: Context, run: Run) => {
      run.executed = true;
      await run.execute();
      // The stored result is written on every event: keep it tiny, whatever the handler returned.
      return { done: true };
    },
    {
      persistenceStore: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: dynamoDB }),
      config: new IdempotencyConfig({ expiresAfterSeconds: recordLifetimeSeconds, throwOnNoIdempotencyKey: true }),
      keyPrefix: category,
    },
  );

  return async (delivery, lambdaContext, execute) => {
    const run: Run = { execute, executed: false };
    try {
      // The context as second argument registers the deadline: a lock taken by an invocation that times out
      // expires with it, so the retry can run.
      await idempotent({ eventHash: delivery.eventHash }, lambdaContext, run);
    } catch (error) {
      throw run.executed ? unwrapHandlerError(error) : toTransient(error);
    }
    return run.executed ? Outcome.Processed : Outcome.Duplicate;
  };
}

/** Errors of the customer's code pass through as they are; a failing record cleanup becomes transient. */
function unwrapHandlerError(error: unknown): unknown {
  return error instanceof IdempotencyUnknownError ? toTransient(error) : error;
}

function toTransient(error: unknown): unknown {
  if (error instanceof IdempotencyAlreadyInProgressError) return new EventInProgressError({ cause: error });
  if (error instanceof IdempotencyUnknownError) {
    const cause = (error as Error & { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : error.message;
    return new IdempotencyStoreUnavailableError(`${detail}${endpointHint()}`, { cause: error });
  }
  return error;
}

function endpointHint(): string {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  return endpoint ? `; DynamoDB endpoint ${endpoint}: is DynamoDB Local running there?` : '';
}

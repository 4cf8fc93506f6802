/**
 * The idempotent step: runs the customer's code once per distinct Stream event, with Powertools idempotency on
 * DynamoDB.
 *
 * Record id: `v3#<hash>`, where the hash is Powertools' over the event's key ({@link StreamDelivery.eventKey}:
 * SHA-256 of the event's canonical JSON). An SNS redelivery (same MessageId), a Lambda retry and a re-publish (new
 * MessageId, maybe another encoding or key order) therefore share one record, and two distinct events about the same
 * object (two reactions on one message) do not. The id names no category: when a type moves to another category,
 * a delivery that reaches both the old and the new owner (during the deploy) runs once. The key version
 * ({@link EVENT_KEY_VERSION}) keeps records of an older key derivation apart.
 *
 * A forced reprocess (`npm run reprocess -- --force <label>`) runs under `v3#reprocess:<label>#<hash>`: once per
 * label, whatever ran before.
 *
 * Legacy lookup, for the upgrade from `<category>#v2#<hash>` (the same hash): on an event's first sighting under v3
 * (the record did not exist, so Powertools just created it), and before the customer's code runs, the owner reads
 * the v2 record of its own category, one GetItem; a completed one makes the delivery a duplicate. An event seen again
 * finds its v3 record and costs nothing more. Needed for one record lifetime (25 days) after upgrading, after which
 * every v2 record has expired. The lookup uses the owner's category, so a type must not move between categories in
 * the deploy that upgrades to v3: do the two in separate deploys.
 *
 * Why `makeIdempotent` around an inner function and not Powertools' middy middleware: in 2.35.0 that
 * middleware's onError deletes an in-progress record it never acquired, so a concurrent duplicate lets a third
 * delivery run the handler again (test/integration/idempotency.test.ts keeps a test that catches it).
 */

import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyItemNotFoundError,
  IdempotencyRecordStatus,
  IdempotencyUnknownError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import type { Category } from './catalog.js';
import { requiredSetting } from './configuration.js';
import { EventInProgressError, IdempotencyStoreUnavailableError } from './errors.js';
import { EVENT_KEY_VERSION, LEGACY_KEY_VERSION } from './event-key.js';
import { RECORD_LIFETIME_DAYS } from './record-lifetime.js';
import { retry } from './retry.js';
import type { StreamDelivery } from './types.js';
import { Outcome } from './types.js';

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
  /** How the completion write is retried (see {@link CompletionRetry}) by shared/retry.ts; tests shorten it. */
  completionRetry: CompletionRetry;
  /**
   * Builds where records are kept instead of the DynamoDB table, one store per key prefix: the test kit's in-memory
   * store (testing/index.ts). Any Powertools persistence layer; `tableName` then only names the store.
   */
  persistenceLayer: (() => BasePersistenceLayer) | undefined;
}

/**
 * How long to keep retrying the completion write after the customer's code succeeded. Failing the invocation
 * then would make Lambda's retry run the code again once the lock expires, so a short DynamoDB blip is ridden out
 * instead, within the invocation's own deadline.
 */
export interface CompletionRetry {
  /** The longest time spent retrying, waits included. */
  maxWaitMs: number;
  /** The wait before the first retry; it doubles after each failed one. */
  firstDelayMs: number;
  /** The time left before the deadline at which retrying stops, so that the failure is reported, not a timeout. */
  keepBeforeDeadlineMs: number;
}

/** Defaults of {@link IdempotencyOptions}; the table's name comes from the environment (shared/configuration.ts). */
const IDEMPOTENCY_DEFAULTS = {
  recordLifetimeSeconds: RECORD_LIFETIME_DAYS * 24 * 60 * 60,
  // 10 s before the deadline: one write of the default client takes up to 9.3 s (3 attempts of 1 s to connect and
  // 2 s to answer, and the SDK's backoff). A write started later could be cut off by the timeout, leaving the event
  // in progress, and Lambda's retry would then run the customer's code again.
  completionRetry: { maxWaitMs: 10_000, firstDelayMs: 100, keepBeforeDeadlineMs: 10_000 },
} as const;

/**
 * A DynamoDB client that fails well inside the function's timeout: 1 s to connect, 2 s per request, 3 attempts.
 * The SDK's defaults would wait minutes on a dead connection; a failed invocation is retried by Lambda, so
 * failing fast loses nothing. `AWS_ENDPOINT_URL_DYNAMODB` points it at DynamoDB Local.
 *
 * `throwOnRequestTimeout`: without it, @smithy/node-http-handler 4.x only logs a warning when `requestTimeout`
 * passes and keeps waiting, here until the Lambda timeout.
 */
function createDynamoDBClient(): DynamoDBClient {
  return new DynamoDBClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
  });
}

/** The per-invocation state the idempotent function reports back through. */
interface Run {
  execute: () => Promise<unknown>;
  /** Asks whether the event was done under the legacy key; undefined where there is none to ask (a forced reprocess). */
  doneBefore: (() => Promise<boolean>) | undefined;
  /** The customer's code started. */
  executed: boolean;
  /** The customer's code finished without error: only the completion write can have failed after this. */
  completed: boolean;
}

/** The result stored with each completed record: written on every event, so kept tiny. */
const STORED_RESULT = { done: true } as const;

/** How many forced-reprocess namespaces one container keeps ready; a reprocess run uses one label. */
const REPROCESS_NAMESPACES_KEPT = 8;

/**
 * The record id's prefix: {@link EVENT_KEY_VERSION}, or, for a forced reprocess under `label`,
 * `<version>#reprocess:<label>` (the label is checked where it is read: shared/reprocess.ts).
 */
export function keyPrefixOf(reprocessLabel: string | undefined): string {
  return reprocessLabel === undefined ? EVENT_KEY_VERSION : `${EVENT_KEY_VERSION}#reprocess:${reprocessLabel}`;
}

/** The prefix the version before wrote under: `<category>#v2`. */
export function legacyKeyPrefixOf(category: Category): string {
  return `${category}#${LEGACY_KEY_VERSION}`;
}

/**
 * Runs the work of one delivery at most once per event (per reprocess label, when `reprocessLabel` is given);
 * answers whether it ran (`processed`) or not.
 */
export type IdempotentRunner = (
  delivery: StreamDelivery,
  lambdaContext: Context,
  execute: () => Promise<unknown>,
  reprocessLabel?: string,
) => Promise<typeof Outcome.Processed | typeof Outcome.Duplicate>;

/**
 * Builds the idempotent step of one category's function. Call once per module: the persistence layers (one per key
 * prefix) are built here, and the category names the legacy records it reads.
 */
export function createIdempotentRunner(category: Category, options: Partial<IdempotencyOptions> = {}): IdempotentRunner {
  const { tableName, recordLifetimeSeconds, dynamoDB, completionRetry, persistenceLayer } = {
    ...IDEMPOTENCY_DEFAULTS,
    ...options,
    tableName: options.tableName ?? requiredSetting('IDEMPOTENCY_TABLE'),
    dynamoDB: options.dynamoDB ?? createDynamoDBClient(),
  };
  // Stryker disable next-line BooleanLiteral: the key is always a SHA-256 hash (StreamDelivery.eventKey), never missing
  const config = new IdempotencyConfig({ expiresAfterSeconds: recordLifetimeSeconds, throwOnNoIdempotencyKey: true });
  const newLayer = (): BasePersistenceLayer =>
    persistenceLayer?.() ?? new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: dynamoDB });
  const legacy = newLayer();
  legacy.configure({ config, keyPrefix: legacyKeyPrefixOf(category) });
  const namespace = (keyPrefix: string) => {
    const persistenceStore = newLayer();
    const idempotent = makeIdempotent(
      async (_key: { eventKey: string }, _lambdaContext: Context, run: Run) => {
        // Only reached when Powertools just created the record: the event's first sighting under this prefix.
        if (run.doneBefore !== undefined && (await run.doneBefore())) return STORED_RESULT;
        run.executed = true;
        await run.execute();
        run.completed = true;
        // Whatever the handler returned, the stored result stays tiny.
        return STORED_RESULT;
      },
      { persistenceStore, config, keyPrefix },
    );
    return { persistenceStore, idempotent };
  };
  const current = namespace(keyPrefixOf(undefined));
  const reprocessing = new Map<string, ReturnType<typeof namespace>>();
  const reprocessNamespace = (label: string) => {
    let found = reprocessing.get(label);
    if (found === undefined) {
      found = namespace(keyPrefixOf(label));
      reprocessing.set(label, found);
      // A Map iterates in insertion order: the first key is the oldest.
      if (reprocessing.size > REPROCESS_NAMESPACES_KEPT) reprocessing.delete(reprocessing.keys().next().value as string);
    }
    return found;
  };

  return async (delivery, lambdaContext, execute, reprocessLabel) => {
    const { persistenceStore, idempotent } = reprocessLabel === undefined ? current : reprocessNamespace(reprocessLabel);
    const key = { eventKey: delivery.eventKey };
    const run: Run = {
      execute,
      doneBefore: reprocessLabel === undefined ? () => doneUnderLegacyKey(legacy, key, tableName) : undefined,
      executed: false,
      completed: false,
    };
    try {
      // The context as second argument registers the deadline: a lock taken by an invocation that times out
      // expires with it, so the retry can run.
      await idempotent(key, lambdaContext, run);
    } catch (error) {
      if (run.completed && error instanceof IdempotencyUnknownError) {
        await completeWithRetries(() => persistenceStore.saveSuccess(key, STORED_RESULT), completionRetry, lambdaContext, error, tableName);
        return Outcome.Processed;
      }
      throw run.executed ? unwrapHandlerError(error, tableName) : toTransient(error, tableName);
    }
    return run.executed ? Outcome.Processed : Outcome.Duplicate;
  };
}

/**
 * Whether the version before recorded the event as done: its record completed and not expired. A v2 invocation still
 * running (in progress, its lock not expired) makes this one wait for a retry, as a v3 one would; a lock that has
 * expired (its invocation timed out) or no record at all means not done.
 */
async function doneUnderLegacyKey(legacy: BasePersistenceLayer, key: { eventKey: string }, tableName: string): Promise<boolean> {
  let status: string;
  let lockExpired: boolean;
  try {
    const record = await legacy.getRecord(key);
    status = record.getStatus();
    lockExpired = record.inProgressExpiryTimestamp !== undefined && record.inProgressExpiryTimestamp < Date.now();
  } catch (error) {
    if (error instanceof IdempotencyItemNotFoundError) return false;
    const cause = (error as Error & { cause?: unknown }).cause ?? error;
    throw new IdempotencyStoreUnavailableError(
      `reading the legacy record: ${(cause as Error).name}: ${(cause as Error).message}${storeHint(tableName)}`,
      {
        cause: error,
      },
    );
  }
  if (status === IdempotencyRecordStatus.COMPLETED) return true;
  if (status === IdempotencyRecordStatus.INPROGRESS && !lockExpired)
    throw new IdempotencyAlreadyInProgressError('in progress under the legacy key');
  return false;
}

/**
 * Retries the completion write with backoff while the deadline allows (the one retry helper, shared/retry.ts); then
 * fails as transient. Powertools' own write was the first attempt, and `firstError` its failure: the helper is
 * handed it as attempt 1, so that the first retry comes after a wait, as a throttled table needs.
 */
async function completeWithRetries(
  save: () => Promise<void>,
  completion: CompletionRetry,
  lambdaContext: Context,
  firstError: unknown,
  tableName: string,
): Promise<void> {
  // One deadline for the helper: the sooner of the retry budget (attempts included) and the margin before Lambda's.
  const budgetEndsAt = Date.now() + completion.maxWaitMs;
  try {
    await retry((attempt) => (attempt === 1 ? Promise.reject(firstError) : save()), {
      operation: 'the completion write of the idempotency record',
      wait: 'retry of the completion write',
      attempts: Number.POSITIVE_INFINITY,
      firstDelayMs: completion.firstDelayMs,
      maxDelayMs: completion.maxWaitMs,
      remainingMs: () => Math.min(lambdaContext.getRemainingTimeInMillis() - completion.keepBeforeDeadlineMs, budgetEndsAt - Date.now()),
      keepMs: 0,
    });
  } catch (error) {
    // Only the helper's own errors reach here (every failure is retryable); the write's last failure is their cause.
    const lastError = (error as Error).cause ?? error;
    throw lastError instanceof IdempotencyUnknownError
      ? toTransient(lastError, tableName)
      : new IdempotencyStoreUnavailableError(`the event ran but could not be recorded as done: ${(lastError as Error).message}`, {
          cause: lastError,
        });
  }
}

/** Errors of the customer's code pass through as they are; a failing record cleanup becomes transient. */
function unwrapHandlerError(error: unknown, tableName: string): unknown {
  return error instanceof IdempotencyUnknownError ? toTransient(error, tableName) : error;
}

function toTransient(error: unknown, tableName: string): unknown {
  if (error instanceof IdempotencyAlreadyInProgressError) return new EventInProgressError({ cause: error });
  if (error instanceof IdempotencyUnknownError) {
    const cause = (error as Error & { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : error.message;
    return new IdempotencyStoreUnavailableError(`${detail}${storeHint(tableName)}`, { cause: error });
  }
  return error;
}

/**
 * Where the store was looked for, and, against a local endpoint, how to get one there: the failure a newcomer meets
 * under `serverless invoke local` with an AWS_ENDPOINT_URL_DYNAMODB where nothing runs.
 */
function storeHint(tableName: string): string {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (!endpoint) return `; table ${tableName}`;
  return (
    `; table ${tableName} at DynamoDB endpoint ${endpoint}: is DynamoDB Local running there, with that table? ` +
    'Unset AWS_ENDPOINT_URL_DYNAMODB and `serverless invoke local` starts one and creates the table itself; ' +
    `or, with DynamoDB Local running there, create the table: npm run replay -- --endpoint ${endpoint} --table ${tableName} <event file>`
  );
}

/**
 * The two kinds of failure a Stream event function can meet, and why they are told apart.
 *
 * - Poison input ({@link PoisonDeliveryError}): the delivery itself is wrong. A retry would fail the same way, so
 *   it is never retried: it is logged with its reason, counted, and kept in the rejected-deliveries queue.
 * - Transient failure ({@link TransientFailureError}): the delivery is fine but something around it is not (DynamoDB
 *   unreachable, the same event in progress in another invocation). The invocation fails so that Lambda retries
 *   it, and after the last retry the on-failure destination (the category's dead-letter queue) keeps it.
 *
 * Any other error (the customer's code, an unexpected failure) is treated as transient: Lambda retries it.
 */

import type { DECODE_LIMITS } from './decode-limits.js';

/** Why a delivery was rejected as poison. Stable strings: they appear in logs, metrics and the local run. */
export const RejectionReason = {
  /** The Lambda event is not one SNS record (`Records` missing, empty, more than one, or not an object). */
  NotOneRecord: 'not_one_record',
  /** The record is not an SNS notification (`EventSource` is not `aws:sns`, or `Sns.Message` is not a string). */
  NotSnsRecord: 'not_sns_record',
  /** The SNS message is larger than SNS itself allows (256 KiB), so it cannot have come from Stream. */
  MessageTooLarge: 'message_too_large',
  /** The message is neither JSON nor valid base64. */
  BadBase64: 'bad_base64',
  /** The message decodes to gzip that cannot be inflated. */
  BadGzip: 'bad_gzip',
  /** The gzip payload inflates past the cap ({@link DECODE_LIMITS}.maxInflatedBytes): a gzip bomb or worse. */
  InflatedTooLarge: 'inflated_too_large',
  /** The decoded bytes are not valid UTF-8. */
  InvalidUtf8: 'invalid_utf8',
  /** The decoded text is not JSON. */
  InvalidJson: 'invalid_json',
  /** The JSON is not an object (an array, a string, a number, `null`). */
  NotAnObject: 'not_an_object',
  /** The JSON nests deeper than any Stream event does ({@link DECODE_LIMITS}.maxDepth). */
  TooDeep: 'too_deep',
  /** The JSON holds more values than any Stream event does ({@link DECODE_LIMITS}.maxJsonValues). */
  TooManyValues: 'too_many_values',
  /** The event has no `type`. */
  MissingType: 'missing_type',
  /** The event's `type` is not a non-empty string. */
  InvalidType: 'invalid_type',
  /**
   * The JSON's top-level `type` members (after unescaping) hold different values: `{"type":"a",...,"type":"b"}`.
   * Neither can be trusted to be the event's. The first decides which function keeps it (shared/ownership.ts).
   */
  ConflictingType: 'conflicting_type',
  /**
   * A decodable event of a type that does not belong on the topic it came from: another category's type on a
   * category's own topic, or, on the events topic in per-category mode, a named category's type that no hook of this
   * stack sends to its own topic (shared/ownership.ts). Kept, never skipped: skipping would lose it.
   */
  Misrouted: 'misrouted',
  /**
   * An asynchronous invocation's `streamReprocess.label` (sent by `npm run reprocess -- --force <label>`) is not 1-64
   * characters of `[A-Za-z0-9._-]`: its key namespace cannot be told, so it is not run under any.
   */
  InvalidReprocessLabel: 'invalid_reprocess_label',
} as const;

/** One of the {@link RejectionReason} values. */
export type RejectionReason = (typeof RejectionReason)[keyof typeof RejectionReason];

/** What a {@link PoisonDeliveryError} may carry beside its cause. */
export interface PoisonDeliveryOptions extends ErrorOptions {
  /** See {@link PoisonDeliveryError.firstType}. */
  firstType?: string | undefined;
}

/** A delivery that can never be processed, whatever the number of retries. */
export class PoisonDeliveryError extends Error {
  /** Why the delivery was rejected. */
  public readonly reason: RejectionReason;
  /**
   * The value of the JSON's first top-level `type` member, when the decoder got as far as the JSON text and that
   * value is a string: the ownership rule gives the rejection to its category (shared/ownership.ts). Undefined
   * when there is no text (the bytes did not decode), no such member, or its value is not a string.
   */
  public readonly firstType: string | undefined;

  public constructor(reason: RejectionReason, message: string, { firstType, ...options }: PoisonDeliveryOptions = {}) {
    super(`${reason}: ${message}`, options);
    this.name = 'PoisonDeliveryError';
    this.reason = reason;
    this.firstType = firstType;
  }
}

/** A failure that a later attempt can overcome: the invocation fails so that Lambda retries it. */
export class TransientFailureError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransientFailureError';
  }
}

/** The same Stream event is being processed by another invocation right now; retry once it has finished. */
export class EventInProgressError extends TransientFailureError {
  public constructor(options?: ErrorOptions) {
    super('the same Stream event is being processed by another invocation; Lambda will retry this one', options);
    this.name = 'EventInProgressError';
  }
}

/** The idempotency table could not be reached or answered with an error. */
export class IdempotencyStoreUnavailableError extends TransientFailureError {
  public constructor(detail: string, options?: ErrorOptions) {
    super(`the idempotency table is unavailable (${detail})`, options);
    this.name = 'IdempotencyStoreUnavailableError';
  }
}

/**
 * A setting the deployed function needs is missing from its environment. Thrown at cold start, so that the
 * function fails before any event (and Lambda keeps retrying the events) instead of writing to another stage's
 * table or queue.
 */
export class ConfigurationError extends Error {
  public constructor(variable: string) {
    super(
      `the environment variable ${variable} is not set: serverless.yml sets it for every deployed function. ` +
        'Deploy with `npx serverless deploy`, or run locally with `npm start` or `serverless invoke local`.',
    );
    this.name = 'ConfigurationError';
  }
}

/** A category's function registers a handler under a key it can never receive (shared/handler-keys.ts). */
export class HandlerKeyError extends Error {
  public override readonly name = 'HandlerKeyError';
  /** The category whose handlers hold the key. */
  public readonly category: string;
  /** The key. */
  public readonly key: string;

  public constructor(category: string, key: string, problem: string) {
    super(`${category} registers a handler it can never receive: ${problem}`);
    this.category = category;
    this.key = key;
  }
}

/**
 * A setting of the function's environment holds a value it cannot take (serverless.yml sets each from a parameter
 * that `serverless package` checks; a hand-edited function can still get one wrong). Thrown at cold start.
 */
export class SettingValueError extends Error {
  public override readonly name = 'SettingValueError';

  public constructor(variable: string, value: string, choices: readonly string[]) {
    super(`the environment variable ${variable} is ${JSON.stringify(value.slice(0, 64))}; it must be one of ${choices.join(', ')}`);
  }
}

/**
 * The hooks' event type lists break the routing rule (shared/routing.ts): a type on two named lists would run twice,
 * a named type on none would never be published. Raised by `serverless package` and by the setup, before any write.
 */
export class RoutingListError extends Error {
  public override readonly name = 'RoutingListError';

  public constructor(problem: string) {
    super(`the Stream hooks' event type lists are inconsistent: ${problem} (shared/catalog.ts gives each type one category)`);
  }
}

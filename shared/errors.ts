/**
 * The two kinds of failure a Stream event function can meet, and why they are told apart.
 *
 * - Poison input ({@link PoisonDeliveryError}): the delivery itself is wrong. A retry would fail the same way, so
 *   it is never retried: it is logged with its reason, counted, and kept in the rejected-deliveries queue.
 * - Transient failure ({@link TransientFailureError}): the delivery is fine but something around it is not (DynamoDB
 *   unreachable, the same event in progress in another invocation). The invocation fails so that Lambda retries
 *   it, and after the last retry the on-failure destination (the category's dead-letter queue) keeps it.
 *
 * Errors thrown by a customer's handler are treated as transient: Lambda retries them.
 */

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
  /** The event has no `type`. */
  MissingType: 'missing_type',
  /** The event's `type` is not a non-empty string, or the JSON names two different types. */
  InvalidType: 'invalid_type',
  /** `created_at` is neither an RFC 3339 string nor integer nanoseconds. */
  InvalidCreatedAt: 'invalid_created_at',
} as const;

/** One of the {@link RejectionReason} values. */
export type RejectionReason = (typeof RejectionReason)[keyof typeof RejectionReason];

/** The limits the decoder enforces, and why each is set where it is. */
export const DECODE_LIMITS = {
  /**
   * SNS refuses messages over 256 KiB, and Stream drops events that would exceed it: anything larger did not come
   * through SNS.
   */
  maxMessageBytes: 256 * 1024,
  /**
   * Stream compresses the JSON before base64, so a 256 KiB message can hold far more JSON. Real events compress
   * about 5-20x; 16 MiB leaves room for the most repetitive payload while a gzip bomb stops after 16 MiB of work
   * and memory, well inside a 256 MB function.
   */
  maxInflatedBytes: 16 * 1024 * 1024,
  /**
   * Real Stream events nest about 8 levels deep. Hashing and logging walk the event recursively, so an event
   * nested thousands of levels deep would overflow the stack there; 64 levels is far above any real one.
   */
  maxDepth: 64,
} as const;

/** A delivery that can never be processed, whatever the number of retries. */
export class PoisonDeliveryError extends Error {
  /** Why the delivery was rejected. */
  public readonly reason: RejectionReason;
  /**
   * The event type read from the delivery before it failed, when one could be read. It decides which function
   * keeps the rejection: the owner of that type, or `other` when there is none.
   */
  public readonly eventType: string | undefined;

  public constructor(reason: RejectionReason, message: string, eventType?: string, options?: ErrorOptions) {
    super(`${reason}: ${message}`, options);
    this.name = 'PoisonDeliveryError';
    this.reason = reason;
    this.eventType = eventType;
  }

  /** The same rejection, owned by `eventType` (the type peeked before the decoding failed). */
  public ownedBy(eventType: string): PoisonDeliveryError {
    if (this.eventType !== undefined) return this;
    const detail = this.message.slice(this.reason.length + 2);
    return new PoisonDeliveryError(this.reason, detail, eventType, { cause: this.cause });
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

/**
 * The shapes that travel through a Stream event function: the Stream event itself, the SNS delivery that carried
 * it, and what a customer's handler receives.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Event } from 'stream-chat';
import type { Category, EventTypeOf } from './catalog.js';

/**
 * A Stream Chat event as Stream publishes it, typed by the stream-chat SDK. `type` is narrowed to the event
 * type a handler is registered for; `created_at` is left as Stream sent it (see {@link StreamDelivery.createdAt}).
 */
export type StreamEvent<T extends string = string> = Omit<Event, 'type' | 'created_at'> & {
  type: T;
  created_at?: string | number;
};

/** How Stream encoded the SNS message: the decoder accepts all three. */
export const MessageEncoding = {
  /** Plain JSON (compression off, as the Go SDK describes it). */
  RawJson: 'raw-json',
  /** base64 of JSON (compression off, as the JS SDK describes it). */
  Base64Json: 'base64-json',
  /** base64 of gzip(JSON): compression on (`enable_hook_payload_compression`). */
  Base64Gzip: 'base64-gzip',
} as const;

/** One of the {@link MessageEncoding} values. */
export type MessageEncoding = (typeof MessageEncoding)[keyof typeof MessageEncoding];

/** What SNS said about a delivery, kept beside the Stream event. */
export interface SnsMetadata {
  /** Stable across SNS and Lambda retries of one publish; new when Stream publishes the event again. */
  messageId: string;
  topicArn: string | undefined;
  /** When SNS accepted the message (ISO 8601). */
  timestamp: string | undefined;
  /** SNS message attributes. Stream documents none; they are kept as they came. */
  attributes: Readonly<Record<string, { Type: string; Value: string }>>;
  /** How the message was encoded. */
  encoding: MessageEncoding;
}

/** A decoded delivery: the Stream event and the SNS metadata of the delivery that carried it. */
export interface StreamDelivery<T extends string = string> {
  event: StreamEvent<T>;
  sns: SnsMetadata;
  /**
   * The event's `created_at` as a Date (millisecond precision), read as shared/created-at.ts says; undefined when
   * the event has none or it cannot be read (the raw value stays in `event.created_at`).
   */
  createdAt: Date | undefined;
  /**
   * The event's key (shared/event-key.ts): SHA-256 of its RFC 8785 canonical JSON, the same for every
   * serialization of one event. The idempotency step keys its records with it.
   */
  eventKey: string;
}

/** What a customer's handler receives beside the event. */
export interface StreamEventContext {
  /** A logger whose every line carries the event's type, category, cid and SNS MessageId. */
  logger: Logger;
  /** The SNS side of the delivery. */
  sns: SnsMetadata;
  /** The event's creation time, see {@link StreamDelivery.createdAt}: undefined when absent or unreadable. */
  createdAt: Date | undefined;
  /** The Lambda context of this invocation (deadline, request id). */
  lambdaContext: Context;
  /**
   * Aborted when the invocation's deadline is reached (5 ms before Lambda's timeout). Pass it on to whatever
   * takes one (`fetch`, the AWS SDK's `abortSignal`, stream-chat requests) or check it in loops: Lambda freezes a
   * timed-out container, and a promise still running would resume during the container's next invocation.
   */
  signal: AbortSignal;
}

/**
 * The customer's code for one event type. Its return value is ignored: each handled event is recorded as done in
 * the idempotency table by the framework, so a handler may return nothing. Throw to have Lambda retry the event.
 */
export type StreamEventHandler<T extends string = string> = (
  event: StreamEvent<T>,
  context: StreamEventContext,
) => Promise<unknown> | unknown;

/**
 * The handlers of one category: at most one per event type the category owns, and a `fallback` for the
 * category's types that have no handler of their own (for `other`: every unknown and custom type too).
 */
export type CategoryHandlers<C extends Category> = {
  [T in EventTypeOf<C>]?: StreamEventHandler<T>;
} & {
  fallback: StreamEventHandler;
};

/** How one invocation ended, as the function returns it and the local run reports it. */
export const Outcome = {
  /** The customer's handler ran and the event is recorded as done. */
  Processed: 'processed',
  /** The event was already done (or recorded) earlier: the handler did not run again. */
  Duplicate: 'duplicate',
  /** The event belongs to another category: ended at once, no I/O. */
  Skipped: 'skipped',
  /** Poison input: kept with its reason, never retried. */
  Rejected: 'rejected',
} as const;

/** One of the {@link Outcome} values. */
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/** What a Stream event function returns. SNS ignores it; local runs and tests read it. */
export interface InvocationResult {
  outcome: Outcome;
  category: Category;
  type: string | null;
  /** For `rejected`: the {@link RejectionReason}. */
  reason?: string;
}

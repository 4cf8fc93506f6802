/**
 * The decoder: from the Lambda event SNS sends to a typed Stream event with its SNS metadata.
 *
 * Stream's SNS `Message` comes in three encodings (see {@link MessageEncoding}); the stream-chat SDK's own
 * `parseSns` only accepts base64 and puts no cap on gzip, and it would pull the whole SDK into every function's
 * bundle, hence this decoder. It decides the encoding by what the bytes are, never by guessing: a message that
 * starts with `{` is JSON (`{` is not a base64 character); anything else must be strict base64, whose bytes are
 * gzip when they start with 1f 8b, and JSON otherwise.
 *
 * Every failure is a {@link PoisonDeliveryError} with a {@link RejectionReason}: a retry cannot fix a delivery.
 */
import { createHash } from 'node:crypto';
import { constants, gunzipSync } from 'node:zlib';
import { DECODE_LIMITS, PoisonDeliveryError, RejectionReason } from './errors.js';
import { MessageEncoding, type SnsMetadata, type StreamDelivery, type StreamEvent } from './types.js';

const STRICT_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const GZIP_MAGIC = [0x1f, 0x8b] as const;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const INTEGER = /^\d{1,22}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes the Lambda event of one SNS delivery into a Stream event.
 *
 * @param lambdaEvent - what Lambda passed to the function: `{ Records: [ { EventSource: 'aws:sns', Sns } ] }`.
 * @throws PoisonDeliveryError when the delivery cannot be a Stream event, with the reason.
 */
export function decodeSnsDelivery(lambdaEvent: unknown): StreamDelivery {
  const { message, sns } = readSnsRecord(lambdaEvent);
  const { text, encoding } = decodeMessageText(message);
  const event = parseStreamEvent(text);
  let eventHash: string | undefined;
  return {
    event,
    sns: { ...sns, encoding },
    createdAt: readCreatedAt(event),
    // Hashed on first use: only the function that owns the event needs its key.
    get eventHash() {
      eventHash ??= createHash('sha256').update(text).digest('base64url');
      return eventHash;
    },
  };
}

/**
 * Reads the event type from the first bytes of the SNS message, without decoding the rest: Stream writes `type`
 * as the first key. For gzip, only the first {@link PEEK_BASE64_CHARACTERS} characters are decoded and inflated.
 * Undefined whenever the type is not plainly there (not first, escaped, bytes that do not decode): the caller then
 * decodes the whole message. Never throws.
 *
 * Four functions out of five drop each event; this lets them drop it after reading a few hundred bytes instead of
 * inflating and parsing all of it. The function that owns the peeked type decodes everything and checks that the
 * JSON's `type` is the one peeked.
 */
export function peekEventType(lambdaEvent: unknown): string | undefined {
  try {
    // Only a well-formed delivery has a type to peek at; anything else is decoded, and rejected, in full.
    const records = (lambdaEvent as { Records?: unknown }).Records;
    if (!Array.isArray(records) || records.length !== 1) return undefined;
    const record = records[0] as { EventSource?: unknown; Sns?: { Message?: unknown } } | null;
    const message = record?.EventSource === 'aws:sns' ? record.Sns?.Message : undefined;
    if (typeof message !== 'string') return undefined;
    const start = message.trimStart();
    if (start.startsWith('{')) return PEEKED_TYPE.exec(start.slice(0, 512))?.[1];
    const head = start.slice(0, PEEK_BASE64_CHARACTERS);
    if (!STRICT_BASE64.test(head)) return undefined;
    const bytes = Buffer.from(head.slice(0, head.length - (head.length % 4)), 'base64');
    const prefix =
      bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]
        ? gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 1024, maxOutputLength: 256 * 1024 })
        : bytes;
    return PEEKED_TYPE.exec(prefix.toString('utf8', 0, 512))?.[1];
  } catch {
    return undefined;
  }
}

/** How much of a base64 message {@link peekEventType} decodes: 192 bytes, enough for the first key of any encoding. */
export const PEEK_BASE64_CHARACTERS = 256;
const PEEKED_TYPE = /^\s*\{\s*"type"\s*:\s*"([A-Za-z0-9_.:-]{1,200})"/;

/** Checks the Lambda event is exactly one SNS record and returns its message and metadata. */
export function readSnsRecord(lambdaEvent: unknown): { message: string; sns: Omit<SnsMetadata, 'encoding'> } {
  const records = isObject(lambdaEvent) ? lambdaEvent.Records : undefined;
  if (!Array.isArray(records) || records.length !== 1 || !isObject(records[0])) {
    const found = Array.isArray(records) ? `${records.length} records` : 'no Records array';
    throw new PoisonDeliveryError(
      RejectionReason.NotOneRecord,
      `SNS invokes a function with exactly one record, found ${found}`,
    );
  }
  const record = records[0];
  const sns = record.Sns;
  if (record.EventSource !== 'aws:sns' || !isObject(sns) || typeof sns.Message !== 'string') {
    throw new PoisonDeliveryError(
      RejectionReason.NotSnsRecord,
      `expected an SNS notification (EventSource aws:sns with a string Sns.Message), found EventSource ${JSON.stringify(
        String(record.EventSource).slice(0, 40),
      )}`,
    );
  }
  return {
    message: sns.Message,
    sns: {
      messageId: typeof sns.MessageId === 'string' ? sns.MessageId : '',
      topicArn: typeof sns.TopicArn === 'string' ? sns.TopicArn : undefined,
      timestamp: typeof sns.Timestamp === 'string' ? sns.Timestamp : undefined,
      attributes: isObject(sns.MessageAttributes)
        ? (sns.MessageAttributes as SnsMetadata['attributes'])
        : {},
    },
  };
}

/** Turns an SNS message into the JSON text of the Stream event, whatever its encoding. */
export function decodeMessageText(message: string): { text: string; encoding: MessageEncoding } {
  if (message.length > DECODE_LIMITS.maxMessageBytes) {
    throw new PoisonDeliveryError(
      RejectionReason.MessageTooLarge,
      `the message has ${message.length} characters; SNS carries at most ${DECODE_LIMITS.maxMessageBytes} bytes`,
    );
  }
  const trimmed = message.trim();
  if (trimmed.startsWith('{')) {
    return { text: trimmed, encoding: MessageEncoding.RawJson };
  }
  if (trimmed.length % 4 !== 0 || !STRICT_BASE64.test(trimmed)) {
    throw rawJsonRejection(trimmed) ??
      new PoisonDeliveryError(RejectionReason.BadBase64, 'the message is neither JSON nor valid base64');
  }
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    return { text: toUtf8(inflate(bytes)), encoding: MessageEncoding.Base64Gzip };
  }
  try {
    return { text: toUtf8(bytes), encoding: MessageEncoding.Base64Json };
  } catch (error) {
    // Short JSON such as `null` is also valid base64: judge it as the JSON it is.
    throw rawJsonRejection(trimmed) ?? error;
  }
}

/** Parses the JSON text of a Stream event and checks the fields every event has. */
export function parseStreamEvent(text: string): StreamEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PoisonDeliveryError(RejectionReason.InvalidJson, (error as Error).message, undefined, { cause: error });
  }
  if (!isObject(value) || Array.isArray(value)) {
    throw new PoisonDeliveryError(RejectionReason.NotAnObject, `the JSON is ${describeJson(value)}, not an object`);
  }
  if (!Object.hasOwn(value, 'type')) {
    throw new PoisonDeliveryError(RejectionReason.MissingType, 'the event has no "type"');
  }
  const type = value.type;
  if (typeof type !== 'string' || type.trim() === '') {
    throw new PoisonDeliveryError(
      RejectionReason.InvalidType,
      `"type" must be a non-empty string, found ${describeJson(type)}`,
    );
  }
  if (nestingDepth(value, DECODE_LIMITS.maxDepth) > DECODE_LIMITS.maxDepth) {
    throw new PoisonDeliveryError(
      RejectionReason.TooDeep,
      `the event nests deeper than ${DECODE_LIMITS.maxDepth} levels`,
      type,
    );
  }
  return value as StreamEvent;
}

/**
 * Reads `created_at` as a Date: Stream sends an RFC 3339 string (micro- or nanoseconds), some SDK fixtures
 * integer Unix nanoseconds (as a number or a string of digits).
 */
export function readCreatedAt(event: StreamEvent): Date | undefined {
  const createdAt = event.created_at;
  if (createdAt === undefined || createdAt === null) return undefined;
  let millis = Number.NaN;
  if (typeof createdAt === 'number' && Number.isInteger(createdAt) && createdAt >= 0) {
    millis = createdAt / 1e6;
  } else if (typeof createdAt === 'string' && INTEGER.test(createdAt)) {
    millis = Number(BigInt(createdAt) / 1_000_000n);
  } else if (typeof createdAt === 'string' && RFC3339.test(createdAt)) {
    millis = Date.parse(createdAt.replace(/(\.\d{3})\d+/, '$1'));
  }
  if (!Number.isFinite(millis)) {
    throw new PoisonDeliveryError(
      RejectionReason.InvalidCreatedAt,
      `"created_at" must be RFC 3339 or integer nanoseconds, found ${describeJson(createdAt)}`,
      event.type,
    );
  }
  return new Date(millis);
}

function inflate(bytes: Buffer): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: DECODE_LIMITS.maxInflatedBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PoisonDeliveryError(
        RejectionReason.InflatedTooLarge,
        `the gzip payload inflates past ${DECODE_LIMITS.maxInflatedBytes} bytes`,
        undefined,
        { cause: error },
      );
    }
    throw new PoisonDeliveryError(RejectionReason.BadGzip, (error as Error).message, undefined, { cause: error });
  }
}

function toUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new PoisonDeliveryError(RejectionReason.InvalidUtf8, 'the decoded bytes are not valid UTF-8', undefined, {
      cause: error,
    });
  }
}

/** The rejection for a message that is JSON but not an object, or undefined when it is not JSON at all. */
function rawJsonRejection(message: string): PoisonDeliveryError | undefined {
  try {
    const value: unknown = JSON.parse(message);
    return new PoisonDeliveryError(RejectionReason.NotAnObject, `the JSON is ${describeJson(value)}, not an object`);
  } catch {
    return undefined;
  }
}

/** The depth of the deepest container, counting stops once past `limit` so a hostile event costs little. */
function nestingDepth(value: unknown, limit: number, depth = 1): number {
  if (depth > limit) return depth;
  let deepest = depth;
  const children = Array.isArray(value) ? value : Object.values(value as object);
  for (const child of children) {
    if (child !== null && typeof child === 'object') {
      deepest = Math.max(deepest, nestingDepth(child, limit, depth + 1));
      if (deepest > limit) return deepest;
    }
  }
  return deepest;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

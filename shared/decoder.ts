/**
 * The decoder: from the Lambda event SNS sends to a typed Stream event with its SNS metadata.
 *
 * Three steps, each with its own rejections: the Lambda event must be one SNS record; its message must decode to
 * JSON text in one of Stream's three encodings (shared/message-encoding.ts); the text must be affordable to parse
 * (shared/json-shape.ts, against shared/decode-limits.ts) and parse to an object with a string `type`. The
 * stream-chat SDK's own `parseSns` only accepts base64 and puts no cap on gzip, and it would pull the whole SDK
 * into every function's bundle, hence this decoder.
 *
 * Every failure is a {@link PoisonDeliveryError} with a {@link RejectionReason}: a retry cannot fix a delivery.
 */
import { readCreatedAt } from './created-at.js';
import { DECODE_LIMITS } from './decode-limits.js';
import { PoisonDeliveryError, RejectionReason } from './errors.js';
import { canonicalJson, eventKey } from './event-key.js';
import { measureJsonShape } from './json-shape.js';
import { logField } from './log-fields.js';
import { decodeMessageText, describeJson } from './message-encoding.js';
import type { SnsMetadata, StreamDelivery, StreamEvent } from './types.js';

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
  let key: string | undefined;
  return {
    event,
    sns: { ...sns, encoding },
    createdAt: readCreatedAt(event.created_at),
    // Derived on first use: only the function that owns the event needs its key.
    get eventKey() {
      key ??= eventKey(event);
      return key;
    },
  };
}

/** The SNS message of a Lambda event, or undefined when the event is not exactly one SNS record. Never throws. */
export function snsMessageOf(lambdaEvent: unknown): string | undefined {
  try {
    return readSnsRecord(lambdaEvent).message;
  } catch {
    return undefined;
  }
}

/** The `Sns.TopicArn` of a Lambda event's first record, when it is a string. Never throws. */
export function snsTopicArnOf(lambdaEvent: unknown): string | undefined {
  const records = isObject(lambdaEvent) ? lambdaEvent.Records : undefined;
  const record: unknown = Array.isArray(records) ? records[0] : undefined;
  const sns = isObject(record) ? record.Sns : undefined;
  const topicArn = isObject(sns) ? sns.TopicArn : undefined;
  return typeof topicArn === 'string' ? topicArn : undefined;
}

/** Checks the Lambda event is exactly one SNS record and returns its message and metadata. */
function readSnsRecord(lambdaEvent: unknown): { message: string; sns: Omit<SnsMetadata, 'encoding'> } {
  const records = isObject(lambdaEvent) ? lambdaEvent.Records : undefined;
  if (!Array.isArray(records) || records.length !== 1 || !isObject(records[0])) {
    const found = Array.isArray(records) ? `${records.length} records` : 'no Records array';
    throw new PoisonDeliveryError(RejectionReason.NotOneRecord, `SNS invokes a function with exactly one record, found ${found}`);
  }
  const record = records[0];
  const sns = record.Sns;
  if (record.EventSource !== 'aws:sns' || !isObject(sns) || typeof sns.Message !== 'string') {
    throw new PoisonDeliveryError(
      RejectionReason.NotSnsRecord,
      `expected an SNS notification (EventSource aws:sns with a string Sns.Message), found EventSource ${
        typeof record.EventSource === 'string' ? JSON.stringify(record.EventSource.slice(0, 40)) : describeJson(record.EventSource)
      }`,
    );
  }
  return {
    message: sns.Message,
    sns: {
      messageId: typeof sns.MessageId === 'string' ? sns.MessageId : '',
      topicArn: typeof sns.TopicArn === 'string' ? sns.TopicArn : undefined,
      timestamp: typeof sns.Timestamp === 'string' ? sns.Timestamp : undefined,
      attributes: isObject(sns.MessageAttributes) ? (sns.MessageAttributes as SnsMetadata['attributes']) : {},
    },
  };
}

/**
 * Parses the JSON text of a Stream event, once it is known to fit the limits, and checks its `type`: present, the
 * same in every top-level `type` member (JSON.parse would keep the last one silently), a non-empty string. Every
 * rejection from here on carries the first `type` member's value (see {@link PoisonDeliveryError.firstType}).
 */
function parseStreamEvent(text: string): StreamEvent {
  const shape = measureJsonShape(text, { maxDepth: DECODE_LIMITS.maxDepth, maxValues: DECODE_LIMITS.maxJsonValues });
  const typeValues = shape.typeValues.map(
    ({ start, end }) =>
      () =>
        text.slice(start, end),
  );
  const firstValue = typeValues[0]?.();
  // Only a string can name an owner; a value of another kind may be megabytes not yet held to the limits: unparsed.
  const firstType = firstValue?.startsWith('"') ? parsedString(firstValue) : undefined;
  const poison = (reason: RejectionReason, detail: string, cause?: unknown) =>
    new PoisonDeliveryError(reason, detail, { firstType, ...(cause === undefined ? {} : { cause }) });
  if (shape.depth > DECODE_LIMITS.maxDepth) {
    throw poison(RejectionReason.TooDeep, `the event nests deeper than ${DECODE_LIMITS.maxDepth} levels`);
  }
  if (shape.values > DECODE_LIMITS.maxJsonValues) {
    throw poison(RejectionReason.TooManyValues, `the event holds more than ${DECODE_LIMITS.maxJsonValues} JSON values`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw poison(RejectionReason.InvalidJson, (error as Error).message, error);
  }
  if (!isObject(value) || Array.isArray(value)) {
    throw poison(RejectionReason.NotAnObject, `the JSON is ${describeJson(value)}, not an object`);
  }
  if (!Object.hasOwn(value, 'type')) {
    throw poison(RejectionReason.MissingType, 'the event has no "type"');
  }
  // The text is valid JSON now, so each member's value is too.
  const [first, ...others] = typeValues.map((member) => canonicalJson(JSON.parse(member())));
  const other = others.find((candidate) => candidate !== first);
  if (other !== undefined) {
    throw poison(RejectionReason.ConflictingType, `the first "type" member is ${logField(first!)}, a later one ${logField(other)}`);
  }
  const type = value.type;
  if (typeof type !== 'string' || type.trim() === '') {
    throw poison(RejectionReason.InvalidType, `"type" must be a non-empty string, found ${describeJson(type)}`);
  }
  return value as StreamEvent;
}

/** The string a JSON string token holds, or undefined when the token is not one (cut short, a raw control character). */
function parsedString(token: string): string | undefined {
  try {
    const value: unknown = JSON.parse(token);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

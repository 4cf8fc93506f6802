/**
 * Where poison deliveries are kept: the stack's rejected-deliveries SQS queue (14 days), one message per rejected
 * delivery with its reason, so that a person can read it, fix the cause and send it again.
 *
 * Why a queue and not only a log line: a log line is searchable but cannot be redriven; the queue also drives an
 * alarm on its depth. Every function receives every delivery, and exactly one owns it (shared/ownership.ts): only
 * the owner keeps a rejection.
 */
import { createHash } from 'node:crypto';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import type { Category } from './catalog.js';
import type { RejectionReason } from './errors.js';
import { functionLocation } from './function-arn.js';
import { MAXIMUM_MESSAGE_BYTES } from './queue-limits.js';

/** A rejected delivery, as kept. */
export interface RejectedDelivery {
  category: Category;
  reason: RejectionReason;
  detail: string;
  /** The event type, when it could be read (capped as a log field: shared/log-fields.ts). */
  eventType: string | undefined;
  /** The SNS MessageId, when there was one (capped as a log field). */
  snsMessageId: string | undefined;
  /** The whole Lambda event as it arrived; see {@link keptMessage} for how it is kept. */
  lambdaEvent: unknown;
}

/** Keeps rejected deliveries somewhere a person can find them. */
export interface RejectedDeliveryStore {
  keep(rejection: RejectedDelivery, lambdaContext: Context): Promise<void>;
}

/** One SQS message: its body and its message attributes. */
export interface KeptMessage {
  body: string;
  attributes: Record<string, { DataType: 'String'; StringValue: string }>;
}

/**
 * Sends rejections to the queue named `queueName` in the function's own account and region. The queue URL is
 * derived from the function's ARN rather than passed in the environment: environment values stay literal so that
 * `serverless invoke local` needs no AWS.
 */
// Stryker disable next-line ObjectLiteral: 3 attempts is also the SDK's default; the value is stated, not relied on
export function sqsRejectedDeliveryStore(queueName: string, sqs: SQSClient = new SQSClient({ maxAttempts: 3 })): RejectedDeliveryStore {
  return {
    async keep(rejection, lambdaContext) {
      const { partition, region, account } = functionLocation(lambdaContext.invokedFunctionArn);
      const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
      const { body, attributes } = keptMessage(rejection);
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: `https://sqs.${region}.${domain}/${account}/${queueName}`,
          MessageBody: body,
          MessageAttributes: attributes,
        }),
      );
    },
  };
}

/**
 * Keeps rejections in the log only: the line keepRejected writes for every rejection already holds the reason
 * and the head of the delivery. Injected by `serverless invoke local` and the local run, where there is no queue
 * (shared/middleware.ts INJECTED_OPTIONS_KEY).
 */
export const logOnlyRejectedDeliveryStore: RejectedDeliveryStore = {
  async keep() {},
};

/** What a cut body says about where the rest of the delivery is. */
const NOT_KEPT =
  'Only the head of the delivery is kept here. A delivery that came through SNS is in the archive when it is on (bucket ' +
  'ArchiveBucketName: the line with this snsMessageId); one that did not is kept nowhere else: the ERROR log ' +
  'line of this rejection holds the first 2,048 characters of its SNS message.';

/**
 * The SQS message kept for a rejection, always within the queue's `MaximumMessageSize`
 * ({@link MAXIMUM_MESSAGE_BYTES}), counted as SQS counts it: the body's UTF-8 bytes plus the attributes'.
 *
 * - One SNS record (what SNS sends): `lambdaEvent` is the record without its `Sns.Message`, and the message is kept
 *   once beside it, as `message` (its text) or as `messageBase64` (its UTF-8 bytes) when that is shorter. Escaping
 *   makes text cost up to 6 bytes a character (a control character is `\u0001`), base64 4 per 3 bytes: so a
 *   256 KiB SNS message of any kind, the most SNS carries, is always kept whole. A message with unpaired
 *   surrogates, which UTF-8 cannot hold, is kept as text.
 * - Anything else: `lambdaEvent` is the event as it came.
 * - When that is still too large (an asynchronous invocation of up to 1 MiB that never came through SNS, or message
 *   attributes of the same kind), the body says so: `cut` holds the Lambda event's JSON length in bytes, its
 *   SHA-256 and where the rest is, and `lambdaEventHead` as much of that JSON as fits.
 *
 * The body is JSON whose every character SQS accepts: U+FFFE and U+FFFF, which JSON.stringify writes as they are and
 * SQS refuses, are escaped.
 */
export function keptMessage(rejection: RejectedDelivery): KeptMessage {
  const attributes = {
    reason: { DataType: 'String', StringValue: rejection.reason },
    category: { DataType: 'String', StringValue: rejection.category },
  } as const;
  const attributeBytes = Object.entries(attributes).reduce(
    (sum, [name, { DataType, StringValue }]) =>
      sum + Buffer.byteLength(name) + Buffer.byteLength(DataType) + Buffer.byteLength(StringValue),
    0,
  );
  const fits = (body: string) => Buffer.byteLength(body) + attributeBytes <= MAXIMUM_MESSAGE_BYTES;
  const { lambdaEvent, ...fields } = rejection;
  let whole: string;
  try {
    // An undefined event has no JSON: the body then has no `lambdaEvent` at all.
    whole = sqsSafeJson({ ...fields, ...splitMessage(lambdaEvent) });
  } catch (error) {
    // A Lambda event JSON.stringify cannot write (too deep, a BigInt) is kept as the reason why.
    return {
      body: sqsSafeJson({ ...fields, lambdaEvent: { unserialisable: `unserialisable Lambda event: ${(error as Error).message}` } }),
      attributes,
    };
  }
  if (fits(whole)) return { body: whole, attributes };
  // Whatever was too large for the whole body could be written: so can the event.
  const text = JSON.stringify(lambdaEvent);
  const cut = {
    lambdaEventBytes: Buffer.byteLength(text),
    lambdaEventSha256: createHash('sha256').update(text).digest('hex'),
    rest: NOT_KEPT,
  };
  const cutBody = (characters: number) => sqsSafeJson({ ...fields, cut, lambdaEventHead: text.slice(0, characters) });
  // The longest head that fits. Each character costs at least one byte, so no more than the limit can; the cost
  // of a head only grows with it (but for 2 bytes where it ends halfway through a surrogate pair, escaped), so a
  // binary search finds it, and only heads that were tried and fit are kept.
  let fitting = 0;
  let tooLong = Math.min(text.length, MAXIMUM_MESSAGE_BYTES) + 1;
  while (tooLong - fitting > 1) {
    const middle = Math.floor((fitting + tooLong) / 2);
    if (fits(cutBody(middle))) fitting = middle;
    else tooLong = middle;
  }
  return { body: cutBody(fitting), attributes };
}

/** The members that keep a Lambda event: the event, and its one SNS message beside it in the shorter form. */
function splitMessage(lambdaEvent: unknown): Record<string, unknown> {
  const records = (lambdaEvent as { Records?: unknown } | null | undefined)?.Records;
  const record: unknown = Array.isArray(records) && records.length === 1 ? records[0] : undefined;
  const sns = (record as { Sns?: unknown } | undefined)?.Sns;
  const message = (sns as { Message?: unknown } | undefined)?.Message;
  if (typeof message !== 'string') return { lambdaEvent };
  const { Message: _kept, ...rest } = sns as { Message: string };
  const envelope = { ...(lambdaEvent as object), Records: [{ ...(record as object), Sns: rest }] };
  const asText = Buffer.byteLength(sqsSafeJson(message));
  const asBase64 = 4 * Math.ceil(Buffer.byteLength(message) / 3) + 2;
  return UNPAIRED_SURROGATE.test(message) || asText <= asBase64
    ? { lambdaEvent: envelope, message }
    : { lambdaEvent: envelope, messageBase64: Buffer.from(message, 'utf8').toString('base64') };
}

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const SQS_REFUSED = /[\ufffe\uffff]/g;

/** JSON.stringify, with the two characters SQS refuses in a body escaped (they can only stand inside strings). */
function sqsSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(SQS_REFUSED, (character) => `\\u${character.charCodeAt(0).toString(16)}`);
}

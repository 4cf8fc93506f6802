/**
 * Wraps a bare Stream event the way Stream and SNS deliver it to Lambda: the SNS `Message` in one of Stream's
 * three encodings, inside the `{ Records: [ { EventSource: 'aws:sns', Sns } ] }` event Lambda receives.
 * Used by the sample-event generator, the local run and the tests.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { SNSEvent } from 'aws-lambda';
import { MessageEncoding } from '../shared/types.js';
import { NotUtf8MessageError } from './errors.js';

/** The topic ARN local deliveries carry (account 111122223333 is AWS's documentation example). */
const LOCAL_TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:stream-chat-events-dev-events';

/** Decodes UTF-8 strictly, keeping a byte-order mark: a message is text only if its bytes say so. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as text, byte-order mark kept, or undefined when they are not valid UTF-8 (never U+FFFD in their place). */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Encodes a Stream event as Stream would put it in the SNS message: its JSON text, or the bytes of a file as they
 * are. With a base64 encoding the bytes are encoded untouched, whatever they hold, so that the function's decoder
 * judges them (bytes that are not UTF-8 are then `invalid_utf8`, as in AWS). Raw JSON is the bytes as text: an SNS
 * message is text, so bytes that are not valid UTF-8 cannot be one, and {@link NotUtf8MessageError} says so
 * rather than replacing them with U+FFFD and delivering something the input does not hold.
 */
export function encodeMessage(event: string | Uint8Array, encoding: MessageEncoding): string {
  const bytes = typeof event === 'string' ? Buffer.from(event, 'utf8') : event;
  switch (encoding) {
    case MessageEncoding.RawJson:
      if (typeof event === 'string') return event;
      return utf8Text(bytes) ?? throwNotUtf8();
    case MessageEncoding.Base64Json:
      return Buffer.from(bytes).toString('base64');
    case MessageEncoding.Base64Gzip:
      return gzipSync(bytes).toString('base64');
  }
}

/** A stable UUID-shaped id derived from a seed, so regenerated files do not change. */
export function stableMessageId(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The Lambda event SNS sends for one message. */
export function snsLambdaEvent(
  message: string,
  {
    messageId,
    timestamp = '2026-07-14T12:00:00.000Z',
    topicArn = LOCAL_TOPIC_ARN,
  }: {
    messageId: string;
    timestamp?: string;
    topicArn?: string;
  },
): SNSEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:00000000-0000-4000-8000-000000000000`,
        Sns: {
          Type: 'Notification',
          MessageId: messageId,
          TopicArn: topicArn,
          Subject: '',
          Message: message,
          Timestamp: timestamp,
          SignatureVersion: '1',
          Signature: 'EXAMPLE',
          SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-example.pem',
          UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
          MessageAttributes: {},
        },
      },
    ],
  };
}

function throwNotUtf8(): never {
  throw new NotUtf8MessageError();
}

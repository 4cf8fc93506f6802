/**
 * Wraps a bare Stream event the way Stream and SNS deliver it to Lambda: the SNS `Message` in one of Stream's
 * three encodings, inside the `{ Records: [ { EventSource: 'aws:sns', Sns } ] }` event Lambda receives.
 * Used by the sample-event generator, the local run and the tests.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { SNSEvent } from 'aws-lambda';
import { MessageEncoding } from '../shared/types.js';

/** The topic ARN local deliveries carry (account 111122223333 is AWS's documentation example). */
const LOCAL_TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:stream-chat-events-dev-events';

/** Encodes the JSON text of a Stream event as Stream would put it in the SNS message. */
export function encodeMessage(json: string, encoding: MessageEncoding): string {
  switch (encoding) {
    case MessageEncoding.RawJson:
      return json;
    case MessageEncoding.Base64Json:
      return Buffer.from(json, 'utf8').toString('base64');
    case MessageEncoding.Base64Gzip:
      return gzipSync(Buffer.from(json, 'utf8')).toString('base64');
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

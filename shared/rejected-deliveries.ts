/**
 * Where poison deliveries are kept: the stack's rejected-deliveries SQS queue (14 days), one message per rejected
 * delivery with its reason, so that a person can read it, fix the cause and send it again.
 *
 * Why a queue and not only a log line: a log line is searchable but cannot be redriven; the queue also drives an
 * alarm on its depth. Every function receives every delivery, and exactly one owns it (shared/ownership.ts): only
 * the owner keeps a rejection.
 */
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import type { Category } from './catalog.js';
import type { RejectionReason } from './errors.js';
import { functionLocation } from './function-arn.js';

/** A rejected delivery, as kept. */
export interface RejectedDelivery {
  category: Category;
  reason: RejectionReason;
  detail: string;
  /** The event type, when it could be read. */
  eventType: string | undefined;
  /** The SNS MessageId, when there was one. */
  snsMessageId: string | undefined;
  /** The whole Lambda event as it arrived (cut to {@link MAX_KEPT_EVENT_CHARACTERS} when larger). */
  lambdaEvent: unknown;
}

/** Keeps rejected deliveries somewhere a person can find them. */
export interface RejectedDeliveryStore {
  keep(rejection: RejectedDelivery, lambdaContext: Context): Promise<void>;
}

/**
 * An SQS message holds at most 1 MiB (the queue is created with that maximum); a real SNS delivery is at most
 * 256 KiB, so only input that never came through SNS is cut.
 */
const MAX_KEPT_EVENT_CHARACTERS = 900_000;

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
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: `https://sqs.${region}.${domain}/${account}/${queueName}`,
          MessageBody: keptBody(rejection),
          MessageAttributes: {
            reason: { DataType: 'String', StringValue: rejection.reason },
            category: { DataType: 'String', StringValue: rejection.category },
          },
        }),
      );
    },
  };
}

/**
 * Keeps rejections in the log only: the line keepRejected writes for every rejection already holds the reason
 * and the head of the delivery. Used by `serverless invoke local` (IS_LOCAL) and the local run, where there is no queue.
 */
export const logOnlyRejectedDeliveryStore: RejectedDeliveryStore = {
  async keep() {},
};

/** The message body kept for a rejection: the rejection with the Lambda event, cut when too large. */
export function keptBody(rejection: RejectedDelivery): string {
  let event: string;
  try {
    // An undefined event has no JSON; any short string stands in, since only its length is read.
    // Stryker disable next-line StringLiteral: any string shorter than the limit gives the same body
    event = JSON.stringify(rejection.lambdaEvent) ?? 'undefined';
  } catch (error) {
    // A Lambda event nested too deep for JSON.stringify is kept as the reason why.
    event = `unserialisable Lambda event: ${(error as Error).message}`;
    return JSON.stringify({ ...rejection, lambdaEvent: { unserialisable: event } });
  }
  const lambdaEvent =
    event.length > MAX_KEPT_EVENT_CHARACTERS
      ? { truncated: true, characters: event.length, head: event.slice(0, MAX_KEPT_EVENT_CHARACTERS) }
      : rejection.lambdaEvent;
  return JSON.stringify({ ...rejection, lambdaEvent });
}

/**
 * `npm run redrive -- --queue <url or name>`: sends the messages of a dead-letter queue in AWS again, one at a
 * time, with the SDK's SQS, Lambda and SNS clients. A Lambda on-failure record re-invokes the function its ARN
 * names, synchronously (RequestResponse), so that success means the function ran without error; an SNS message
 * is published to its topic again. Each message is deleted only after its redrive succeeded; the others are made
 * visible again at the end, for the next attempt. The idempotency step makes a repeat safe: an event that did
 * complete comes back as a duplicate.
 *
 * Limitation: one pass over what the queue holds at the start; a message that arrives meanwhile may be included
 * or not. Messages are read with a 60 s visibility timeout, so two operators redriving one queue at once do not
 * send the same message twice within it.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { RedriveUsageError } from './errors.js';
import { type DeadLetterRecord, type RedriveOutcome, redrivenPayload, redriveOne, regionOf } from './records.js';

/** Options of {@link redriveQueue}. */
export interface QueueRedriveOptions {
  /** A queue URL, or a queue name in `region`. */
  queue: string;
  /** The region of a queue given by name (default: the SDK's, from AWS_REGION or the profile). */
  region: string | undefined;
  dryRun: boolean;
}

/** Settings of the queue pass. */
const QUEUE_REDRIVE_SETTINGS = { visibilityTimeoutSeconds: 60, waitTimeSeconds: 1, batchSize: 10 } as const;

/** Redrives every message of the queue; outcomes in the order received. */
export async function redriveQueue({ queue, region, dryRun }: QueueRedriveOptions): Promise<RedriveOutcome[]> {
  const sqs = new SQSClient(region === undefined ? {} : { region });
  const queueUrl = /^https?:\/\//.test(queue) ? queue : await queueUrlOf(sqs, queue);
  const lambda = clientsPerRegion((r) => new LambdaClient({ region: r }));
  const sns = clientsPerRegion((r) => new SNSClient({ region: r }));
  const redrive = (record: DeadLetterRecord) =>
    record.kind === 'lambda' ? invoke(lambda(regionOf(record.functionArn)), record) : publish(sns(regionOf(record.topicArn)), record);
  const outcomes: RedriveOutcome[] = [];
  const toRelease: string[] = [];
  const seen = new Set<string>();
  try {
    for (;;) {
      const { Messages: messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: QUEUE_REDRIVE_SETTINGS.batchSize,
          WaitTimeSeconds: QUEUE_REDRIVE_SETTINGS.waitTimeSeconds,
          VisibilityTimeout: QUEUE_REDRIVE_SETTINGS.visibilityTimeoutSeconds,
        }),
      );
      const fresh = messages.filter((message) => !seen.has(String(message.MessageId)));
      if (fresh.length === 0) break;
      for (const message of fresh) {
        seen.add(String(message.MessageId));
        const outcome = await redriveOne(String(message.MessageId), message.Body ?? '', redrive, dryRun);
        if (outcome.outcome === 'redriven') {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle })).catch((error: Error) => {
            Object.assign(outcome, {
              outcome: 'failed',
              detail: `${outcome.detail}, but not deleted from the queue (${error.name}: ${error.message}); a redrive again finds it a duplicate`,
            });
          });
        } else {
          toRelease.push(String(message.ReceiptHandle));
        }
        outcomes.push(outcome);
      }
    }
  } finally {
    // Not redriven: visible again at once, for the next attempt.
    await Promise.allSettled(
      toRelease.map((handle) =>
        sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 })),
      ),
    );
  }
  return outcomes;
}

async function queueUrlOf(sqs: SQSClient, name: string): Promise<string> {
  try {
    return String((await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl);
  } catch (error) {
    throw new RedriveUsageError(
      `no queue named ${name} (${(error as Error).name}: ${(error as Error).message}); give its URL, or --region`,
    );
  }
}

function clientsPerRegion<C>(create: (region: string) => C): (region: string) => C {
  const clients = new Map<string, C>();
  return (region) => {
    if (!clients.has(region)) clients.set(region, create(region));
    return clients.get(region)!;
  };
}

/** Invokes the function synchronously: success only when it answered without a function error. */
async function invoke(lambda: LambdaClient, record: Extract<DeadLetterRecord, { kind: 'lambda' }>): Promise<string> {
  const answer = await lambda.send(
    new InvokeCommand({
      FunctionName: record.functionArn,
      InvocationType: 'RequestResponse',
      Payload: Buffer.from(JSON.stringify(redrivenPayload(record.requestPayload))),
    }),
  );
  const payload = answer.Payload === undefined ? '' : Buffer.from(answer.Payload).toString('utf8');
  if (answer.StatusCode !== 200)
    throw new Error(`Lambda answered status ${answer.StatusCode} to a synchronous invocation, not 200: the function's run is unknown`);
  if (answer.FunctionError !== undefined) throw Object.assign(new Error(payload), { name: `FunctionError ${answer.FunctionError}` });
  try {
    return String((JSON.parse(payload) as { outcome?: unknown } | null)?.outcome ?? 'succeeded');
  } catch {
    return 'succeeded';
  }
}

async function publish(sns: SNSClient, record: Extract<DeadLetterRecord, { kind: 'sns' }>): Promise<string> {
  const { MessageId } = await sns.send(
    new PublishCommand({
      TopicArn: record.topicArn,
      Message: record.message,
      Subject: record.subject,
      MessageAttributes: Object.fromEntries(
        Object.entries(record.messageAttributes).map(([name, { Type, Value }]) => [name, { DataType: Type, StringValue: Value }]),
      ),
    }),
  );
  if (MessageId === undefined) throw new Error('SNS answered without a MessageId: the message may not be published');
  return `published as ${MessageId}`;
}

/**
 * A local stand-in of SQS's JSON API (the protocol of @aws-sdk/client-sqs) for the calls a redrive makes:
 * GetQueueUrl, ReceiveMessage (visibility timeouts, MD5 of the body), DeleteMessage and ChangeMessageVisibility; and
 * SendMessage, for the rejected-deliveries store, refusing as SQS does a message over the queue's MaximumMessageSize
 * (body plus attributes, in bytes) or a body with a character SQS does not accept.
 */
import { createHash, randomUUID } from 'node:crypto';
import { type StandIn, type StandInAnswer, startStandIn } from './http-stand-in.js';

interface QueuedMessage {
  messageId: string;
  body: string;
  visibleAt: number;
  receiptHandle: string | undefined;
}

export interface FakeSqs extends StandIn {
  /** Creates a queue (by default of SQS's largest MaximumMessageSize, 1 MiB); returns its URL. */
  createQueue(name: string, bodies: string[], options?: { maximumMessageSize?: number }): string;
  /** The bodies a queue holds, visible or not. */
  bodies(name: string): string[];
  /** Every action asked, in order (`DeleteMessage`, ...). */
  actions: string[];
  /** Every message sent (SendMessage), with the queue URL it was sent to and its attributes. */
  sent: Array<{ queueUrl: string; body: string; attributes: Record<string, { DataType: string; StringValue?: string }> }>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): StandInAnswer => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.0', ...headers },
  body: JSON.stringify(body),
});

/** What SQS accepts in a body: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF. */
const SQS_BODY = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

/** A message's size as SQS counts it: the body's UTF-8 bytes, and each attribute's name, data type and value. */
function messageBytes(body: string, attributes: Record<string, { DataType: string; StringValue?: string }>): number {
  return Object.entries(attributes).reduce(
    (sum, [name, attribute]) =>
      sum + Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType) + Buffer.byteLength(attribute.StringValue ?? ''),
    Buffer.byteLength(body),
  );
}

export async function startFakeSqs(): Promise<FakeSqs> {
  const queues = new Map<string, QueuedMessage[]>();
  const limits = new Map<string, number>();
  const actions: string[] = [];
  const sent: FakeSqs['sent'] = [];
  const queueOf = (url: unknown) => {
    const queue = queues.get(String(url).split('/').pop() ?? '');
    if (queue === undefined) throw Object.assign(new Error(`no queue ${String(url)}`), { notFound: true });
    return queue;
  };
  const standIn = await startStandIn(
    ({ headers, body }) => {
      const action = String(headers['x-amz-target']).replace('AmazonSQS.', '');
      actions.push(action);
      const input = JSON.parse(body) as Record<string, any>;
      try {
        switch (action) {
          case 'GetQueueUrl':
            queueOf(input.QueueName);
            return json(200, { QueueUrl: `${standIn.endpoint}/111122223333/${input.QueueName}` });
          case 'ReceiveMessage': {
            const now = Date.now();
            const visible = queueOf(input.QueueUrl)
              .filter((message) => message.visibleAt <= now)
              .slice(0, input.MaxNumberOfMessages ?? 1);
            for (const message of visible) {
              message.visibleAt = now + (input.VisibilityTimeout ?? 30) * 1000;
              message.receiptHandle = randomUUID();
            }
            return json(200, {
              Messages: visible.map(({ messageId, body: text, receiptHandle }) => ({
                MessageId: messageId,
                ReceiptHandle: receiptHandle,
                MD5OfBody: createHash('md5').update(text).digest('hex'),
                Body: text,
              })),
            });
          }
          case 'SendMessage': {
            const limit = limits.get(String(input.QueueUrl).split('/').pop() ?? '') ?? 1_048_576;
            const bytes = messageBytes(input.MessageBody, input.MessageAttributes ?? {});
            if (bytes > limit) {
              return json(400, {
                __type: 'com.amazonaws.sqs#InvalidParameterValue',
                message: `One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`,
              });
            }
            if (!SQS_BODY.test(input.MessageBody)) {
              return json(400, { __type: 'com.amazonaws.sqs#InvalidMessageContents', message: 'Invalid characters found.' });
            }
            const messageId = randomUUID();
            queueOf(input.QueueUrl).push({ messageId, body: input.MessageBody, visibleAt: 0, receiptHandle: undefined });
            sent.push({ queueUrl: input.QueueUrl, body: input.MessageBody, attributes: input.MessageAttributes ?? {} });
            return json(200, { MessageId: messageId, MD5OfMessageBody: createHash('md5').update(input.MessageBody).digest('hex') });
          }
          case 'DeleteMessage': {
            // As SQS: deleting a message already deleted succeeds.
            const queue = queueOf(input.QueueUrl);
            const at = queue.findIndex((message) => message.receiptHandle === input.ReceiptHandle);
            if (at !== -1) queue.splice(at, 1);
            return json(200, {});
          }
          case 'ChangeMessageVisibility': {
            const message = queueOf(input.QueueUrl).find((candidate) => candidate.receiptHandle === input.ReceiptHandle);
            if (message !== undefined) message.visibleAt = Date.now() + input.VisibilityTimeout * 1000;
            return json(200, {});
          }
          default:
            return json(400, { __type: 'com.amazon.coral.service#UnknownOperationException', message: action });
        }
      } catch (error) {
        if (!(error as { notFound?: boolean }).notFound) throw error;
        return json(
          400,
          { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
          { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' },
        );
      }
    },
    (status) => json(status, { __type: 'com.amazonaws.sqs#InternalError', message: 'injected failure' }),
  );
  return Object.assign(standIn, {
    actions,
    sent,
    createQueue(name: string, bodies: string[], { maximumMessageSize = 1_048_576 } = {}) {
      limits.set(name, maximumMessageSize);
      queues.set(
        name,
        bodies.map((body) => ({ messageId: randomUUID(), body, visibleAt: 0, receiptHandle: undefined })),
      );
      return `${standIn.endpoint}/111122223333/${name}`;
    },
    bodies: (name: string) => (queues.get(name) ?? []).map((message) => message.body),
  });
}

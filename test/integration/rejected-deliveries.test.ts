/**
 * The rejected-deliveries queue as the deployed functions use it: the real chain and the real @aws-sdk/client-sqs,
 * against the SQS stand-in (test/support/fake-sqs.ts), which can answer 500 before or after applying a send.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lambdaContext, LOCAL_AWS_ENV, snsLambdaEvent } from '../../emulator/index.js';
import type { Category } from '../../shared/catalog.js';
import { streamEventFunction } from '../../shared/middleware.js';
import { keptBody, sqsRejectedDeliveryStore } from '../../shared/rejected-deliveries.js';
import { type FakeSqs, startFakeSqs } from '../support/fake-sqs.js';

const QUEUE = 'stream-chat-events-prod-rejected';
let sqs: FakeSqs;

beforeEach(async () => {
  sqs = await startFakeSqs();
  sqs.createQueue(QUEUE, []);
});
afterEach(async () => {
  await sqs.close();
});

/** A category function whose rejected deliveries go to the stand-in's queue through the real SQS client. */
function functionKeepingTo(category: Category) {
  const client = new SQSClient({
    endpoint: sqs.endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
    // As the deployed default: three attempts.
    maxAttempts: 3,
  });
  const handler = streamEventFunction(category, { fallback: async () => undefined }, {
    rejectedDeliveries: sqsRejectedDeliveryStore(QUEUE, client),
    idempotency: { tableName: 'never-reached-by-poison' },
  });
  return (lambdaEvent: unknown, functionArn?: string) => handler(lambdaEvent, lambdaContext({ functionArn }));
}

const poison = snsLambdaEvent('{"type": 42}', { messageId: 'poison-sqs' });

describe('rejected-deliveries queue: where a rejection goes', () => {
  it("sends it to the stage's queue in the function's own account and region, with its reason and category as attributes", async () => {
    // Prepare
    const invoke = functionKeepingTo('other');

    // Act
    const result = await invoke(poison, 'arn:aws:lambda:eu-west-1:444455556666:function:stream-chat-events-prod-other');

    // Assess
    expect(result).toMatchObject({ outcome: 'rejected', reason: 'invalid_type' });
    expect(sqs.sent).toHaveLength(1);
    const [message] = sqs.sent;
    expect(message!.queueUrl).toBe(`https://sqs.eu-west-1.amazonaws.com/444455556666/${QUEUE}`);
    expect(message!.attributes).toEqual({
      reason: { DataType: 'String', StringValue: 'invalid_type' },
      category: { DataType: 'String', StringValue: 'other' },
    });
    expect(JSON.parse(message!.body)).toMatchObject({ category: 'other', reason: 'invalid_type', snsMessageId: 'poison-sqs', lambdaEvent: poison });
  });

  it('uses the amazonaws.com.cn domain for a function in the China partition', async () => {
    // Prepare
    const invoke = functionKeepingTo('other');

    // Act
    await invoke(poison, 'arn:aws-cn:lambda:cn-north-1:444455556666:function:stream-chat-events-prod-other');

    // Assess
    expect(sqs.sent.map((message) => message.queueUrl)).toEqual([`https://sqs.cn-north-1.amazonaws.com.cn/444455556666/${QUEUE}`]);
  });
});

describe('rejected-deliveries queue: SQS failing', () => {
  it('keeps the rejection, twice rather than never, when SQS applies a send and answers 500; the invocation ends without a retry', async () => {
    // Prepare
    const invoke = functionKeepingTo('other');
    sqs.failNext.push({ when: (request) => String(request.headers['x-amz-target']).endsWith('SendMessage'), status: 500, applied: true });

    // Act
    const result = await invoke(poison);

    // Assess: the SDK retried the send it believed failed; the queue holds the same rejection twice.
    expect(result).toMatchObject({ outcome: 'rejected' });
    expect(sqs.bodies(QUEUE)).toHaveLength(2);
    expect(new Set(sqs.bodies(QUEUE)).size).toBe(1);
  });

  it('fails the invocation, so that Lambda retries it, when every attempt to send fails', async () => {
    // Prepare
    const invoke = functionKeepingTo('other');
    for (let i = 0; i < 3; i += 1) {
      sqs.failNext.push({ when: (request) => String(request.headers['x-amz-target']).endsWith('SendMessage'), status: 500, applied: false });
    }

    // Act
    const failure = await invoke(poison).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ $metadata: { httpStatusCode: 500 } });
    expect(sqs.bodies(QUEUE)).toEqual([]);
  });
});

describe('rejected-deliveries queue: the message body', () => {
  const rejection = { category: 'other', reason: 'invalid_json', detail: 'd', eventType: undefined, snsMessageId: 'm' } as const;
  /** The rejection as JSON keeps it: without the undefined event type. */
  const keptRejection = { category: 'other', reason: 'invalid_json', detail: 'd', snsMessageId: 'm' };

  it('holds the whole Lambda event up to 900,000 characters', () => {
    // Prepare: an event whose JSON is exactly the limit.
    const lambdaEvent = { padding: 'x'.repeat(900_000 - '{"padding":""}'.length) };

    // Act
    const kept = JSON.parse(keptBody({ ...rejection, lambdaEvent }));

    // Assess
    expect(kept.lambdaEvent).toEqual(lambdaEvent);
  });

  it('cuts a larger event to its first 900,000 characters and says how long it was, so that the message fits SQS', () => {
    // Prepare
    const lambdaEvent = { padding: 'x'.repeat(900_001 - '{"padding":""}'.length) };

    // Act
    const kept = JSON.parse(keptBody({ ...rejection, lambdaEvent }));

    // Assess
    expect(kept.lambdaEvent).toEqual({ truncated: true, characters: 900_001, head: JSON.stringify(lambdaEvent).slice(0, 900_000) });
    expect(kept).toMatchObject(keptRejection);
  });

  it('keeps an event JSON cannot write as the reason why, with the rest of the rejection', () => {
    // Prepare: only an in-process caller can hand over such an event; Lambda's are JSON.
    const lambdaEvent = { size: 10n };

    // Act
    const kept = JSON.parse(keptBody({ ...rejection, lambdaEvent }));

    // Assess
    expect(kept).toMatchObject(keptRejection);
    expect(kept.lambdaEvent.unserialisable).toMatch(/^unserialisable Lambda event: .*BigInt/);
  });

  it('keeps a rejection without a Lambda event', () => {
    // Act
    const kept = JSON.parse(keptBody({ ...rejection, lambdaEvent: undefined }));

    // Assess
    expect(kept).toEqual(keptRejection);
  });
});

/**
 * The rejected-deliveries queue as the deployed functions use it: the real chain and the real @aws-sdk/client-sqs,
 * against the SQS stand-in (test/support/fake-sqs.ts), which can answer 500 before or after applying a send and
 * refuses, as SQS does, a message over the queue's MaximumMessageSize or with a character SQS does not take. What a
 * body may weigh is counted here, as SQS counts it, against the MaximumMessageSize of the packaged template.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { fc, test } from '@fast-check/vitest';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_AWS_ENV, lambdaContext, snsLambdaEvent } from '../../emulator/index.js';
import type { Category } from '../../shared/catalog.js';
import { streamEventFunction } from '../../shared/middleware.js';
import { MAXIMUM_MESSAGE_BYTES } from '../../shared/queue-limits.js';
import { type KeptMessage, keptMessage, sqsRejectedDeliveryStore } from '../../shared/rejected-deliveries.js';
import { type FakeSqs, startFakeSqs } from '../support/fake-sqs.js';
import { testPackage } from '../support/test-builds.js';

const QUEUE = 'stream-chat-events-prod-rejected';
let sqs: FakeSqs;

beforeEach(async () => {
  sqs = await startFakeSqs();
  sqs.createQueue(QUEUE, [], { maximumMessageSize: MAXIMUM_MESSAGE_BYTES });
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
  const handler = streamEventFunction(
    category,
    { fallback: async () => undefined },
    {
      rejectedDeliveries: sqsRejectedDeliveryStore(QUEUE, client),
      idempotency: { tableName: 'never-reached-by-poison' },
    },
  );
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
    const { Message, ...sns } = poison.Records[0]!.Sns;
    expect(JSON.parse(message!.body)).toEqual({
      category: 'other',
      reason: 'invalid_type',
      detail: 'invalid_type: "type" must be a non-empty string, found a number',
      snsMessageId: 'poison-sqs',
      lambdaEvent: { Records: [{ ...poison.Records[0], Sns: sns }] },
      message: Message,
    });
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
      sqs.failNext.push({
        when: (request) => String(request.headers['x-amz-target']).endsWith('SendMessage'),
        status: 500,
        applied: false,
      });
    }

    // Act
    const failure = await invoke(poison).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ $metadata: { httpStatusCode: 500 } });
    expect(sqs.bodies(QUEUE)).toEqual([]);
  });
});

/** The SNS message kept in a body, whichever form it took. */
const messageIn = (kept: { message?: string; messageBase64?: string }) =>
  kept.message ?? (kept.messageBase64 === undefined ? undefined : Buffer.from(kept.messageBase64, 'base64').toString('utf8'));

/** Characters SQS takes in a body (its SendMessage documentation). */
const SQS_CHARACTERS = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

describe('rejected-deliveries queue: poison that must fit it', () => {
  /** A 256 KiB SNS message of control characters: about 1.5 MB once JSON escapes it. */
  const controlCharacters = '\u0001'.repeat(256 * 1024);

  it('keeps a 256 KiB SNS message of control characters whole, in one message, and ends the invocation without a retry', async () => {
    // Prepare
    const invoke = functionKeepingTo('other');
    const delivery = snsLambdaEvent(controlCharacters, { messageId: 'controls' });

    // Act
    const result = await invoke(delivery);

    // Assess
    expect(result).toMatchObject({ outcome: 'rejected', reason: 'bad_base64' });
    expect(sqs.bodies(QUEUE)).toHaveLength(1);
    const kept = JSON.parse(sqs.bodies(QUEUE)[0]!);
    expect(messageIn(kept)).toBe(controlCharacters);
    expect(kept).toMatchObject({ reason: 'bad_base64', snsMessageId: 'controls' });
    expect(kept.cut).toBeUndefined();
  });

  it('keeps a 1 MiB asynchronous invocation made of quotes once, cut, saying how long it was and where the rest is', async () => {
    // Prepare: not SNS's: a Lambda event of 1 MiB of JSON (the most an asynchronous invocation carries), half of it
    // the escapes of its quotes.
    const invoke = functionKeepingTo('other');
    const lambdaEvent = { quote: '"'.repeat(524_282) };
    const text = JSON.stringify(lambdaEvent);

    // Act
    const result = await invoke(lambdaEvent);

    // Assess
    expect(result).toMatchObject({ outcome: 'rejected', reason: 'not_one_record' });
    expect(sqs.bodies(QUEUE)).toHaveLength(1);
    const kept = JSON.parse(sqs.bodies(QUEUE)[0]!);
    expect(kept.cut).toEqual({
      lambdaEventBytes: Buffer.byteLength(text),
      lambdaEventSha256: createHash('sha256').update(text).digest('hex'),
      rest:
        'Only the head of the delivery is kept here. A delivery that came through SNS is in the archive when it is on (bucket ' +
        'ArchiveBucketName: the line with this snsMessageId); one that did not is kept nowhere else: the ERROR log ' +
        'line of this rejection holds the first 2,048 characters of its SNS message.',
    });
    expect(text.startsWith(kept.lambdaEventHead)).toBe(true);
    expect(text).toHaveLength(1024 * 1024);
    expect(kept.lambdaEventHead.length).toBeGreaterThan(400_000);
  });

  it('keeps a message holding U+FFFF, which SQS refuses in a body as it is, escaped', async () => {
    // Prepare
    const invoke = functionKeepingTo('other');
    const message = '{"type":"\uffff\ufffe",}';

    // Act
    const result = await invoke(snsLambdaEvent(message, { messageId: 'noncharacters' }));

    // Assess
    expect(result).toMatchObject({ outcome: 'rejected', reason: 'invalid_json' });
    expect(sqs.bodies(QUEUE)).toHaveLength(1);
    expect(messageIn(JSON.parse(sqs.bodies(QUEUE)[0]!))).toBe(message);
  });
});

describe('rejected-deliveries queue: the message body', () => {
  const rejection = { category: 'other', reason: 'invalid_json', detail: 'd', eventType: undefined, snsMessageId: 'm' } as const;
  /** The rejection as JSON keeps it: without the undefined event type. */
  const keptRejection = { category: 'other', reason: 'invalid_json', detail: 'd', snsMessageId: 'm' };
  const sizeOf = ({ body, attributes }: KeptMessage) =>
    Object.entries(attributes).reduce(
      (sum, [name, { DataType, StringValue }]) => sum + Buffer.byteLength(name + DataType + StringValue),
      Buffer.byteLength(body),
    );

  it('keeps the SNS message as text when that is shorter, and as base64 of its bytes when that is', () => {
    // Prepare: a JSON message (few escapes), and one of quotes (each escaped: 2 bytes, base64 costs 4/3).
    const events = ['{"type":"message.new","text":"é"}', '"'.repeat(300)].map((message) => snsLambdaEvent(message, { messageId: 'm' }));

    // Act
    const [json, quotes] = events.map((lambdaEvent) => JSON.parse(keptMessage({ ...rejection, lambdaEvent }).body));

    // Assess
    expect(json.message).toBe('{"type":"message.new","text":"é"}');
    expect(json.messageBase64).toBeUndefined();
    expect(quotes.message).toBeUndefined();
    expect(Buffer.from(quotes.messageBase64, 'base64').toString()).toBe('"'.repeat(300));
  });

  it('prefers text when both forms weigh the same, and keeps a message with unpaired surrogates as text', () => {
    // Prepare: two line feeds weigh 6 bytes either way: `"\n\n"` as text, 4 characters of base64 and its quotes.
    const tie = '\n\n';
    const unpaired = `${'\u0001'.repeat(50)}\ud800`;

    // Act
    const [kept, keptUnpaired] = [tie, unpaired].map((message) =>
      JSON.parse(keptMessage({ ...rejection, lambdaEvent: snsLambdaEvent(message, { messageId: 'm' }) }).body),
    );

    // Assess
    expect(kept.message).toBe(tie);
    expect(keptUnpaired.message).toBe(unpaired);
  });

  it('keeps a message as text only when it holds an unpaired surrogate, whichever half, and as base64 when its pairs are whole', () => {
    // Prepare: control characters make base64 the shorter form, unless UTF-8 cannot hold the message.
    const controls = '\u0001'.repeat(50);
    const messages = {
      pairs: `${controls}😀𝄞`,
      highAlone: `${controls}\ud800a`,
      lowAlone: `${controls}a\udc00`,
      reversed: `${controls}\udc00\ud800`,
    };

    // Act
    const forms = Object.fromEntries(
      Object.entries(messages).map(([name, message]) => {
        const kept = JSON.parse(keptMessage({ ...rejection, lambdaEvent: snsLambdaEvent(message, { messageId: 'm' }) }).body);
        return [name, kept.message === undefined ? 'base64' : 'text'];
      }),
    );

    // Assess
    expect(forms).toEqual({ pairs: 'base64', highAlone: 'text', lowAlone: 'text', reversed: 'text' });
  });

  it('keeps an event that is not one SNS record as it came', () => {
    // Prepare
    const lambdaEvents = [
      { Records: [] },
      { Records: [{ Sns: { Message: 'a' } }, { Sns: { Message: 'b' } }] },
      { Records: [{ Sns: { Message: 7 } }] },
      'text',
      null,
    ];

    // Act
    const kept = lambdaEvents.map((lambdaEvent) => JSON.parse(keptMessage({ ...rejection, lambdaEvent }).body));

    // Assess
    expect(kept).toEqual(lambdaEvents.map((lambdaEvent) => ({ ...keptRejection, lambdaEvent })));
  });

  it('keeps an event that fills the message exactly, and cuts one a byte larger', () => {
    // Prepare: the size of a body for an event whose padding is empty, then the padding that reaches the limit.
    const attributeBytes = 'reason'.length + 'category'.length + 2 * 'String'.length + 'invalid_json'.length + 'other'.length;
    const emptyBody = keptMessage({ ...rejection, lambdaEvent: { padding: '' } }).body;
    const exact = { padding: 'x'.repeat(MAXIMUM_MESSAGE_BYTES - attributeBytes - Buffer.byteLength(emptyBody)) };
    const over = { padding: `${exact.padding}x` };

    // Act
    const [keptExact, keptOver] = [exact, over].map((lambdaEvent) => keptMessage({ ...rejection, lambdaEvent }));

    // Assess
    expect(sizeOf(keptExact!)).toBe(MAXIMUM_MESSAGE_BYTES);
    expect(JSON.parse(keptExact!.body).lambdaEvent).toEqual(exact);
    const cut = JSON.parse(keptOver!.body);
    expect(cut.lambdaEvent).toBeUndefined();
    expect(cut.cut.lambdaEventBytes).toBe(Buffer.byteLength(JSON.stringify(over)));
    expect(sizeOf(keptOver!)).toBeLessThanOrEqual(MAXIMUM_MESSAGE_BYTES);
    // The longest head that fits: one character more would not.
    expect(sizeOf(keptOver!)).toBeGreaterThan(MAXIMUM_MESSAGE_BYTES - 1);
  });

  it('keeps the longest head that fits when the event is made of characters that escape to 6 bytes', () => {
    // Prepare
    const lambdaEvent = { controls: '\u0002'.repeat(400_000) };

    // Act
    const kept = keptMessage({ ...rejection, lambdaEvent });

    // Assess: within 6 bytes of the limit, and one escape more would pass it.
    const size = sizeOf(kept);
    expect(size).toBeLessThanOrEqual(MAXIMUM_MESSAGE_BYTES);
    expect(size).toBeGreaterThan(MAXIMUM_MESSAGE_BYTES - 12);
    expect(JSON.stringify(lambdaEvent).startsWith(JSON.parse(kept.body).lambdaEventHead)).toBe(true);
  });

  it('gives the reason and the category as message attributes', () => {
    // Act
    const { attributes } = keptMessage({ ...rejection, lambdaEvent: null });

    // Assess
    expect(attributes).toEqual({
      reason: { DataType: 'String', StringValue: 'invalid_json' },
      category: { DataType: 'String', StringValue: 'other' },
    });
  });

  it('keeps an event JSON cannot write as the reason why, with the rest of the rejection', () => {
    // Prepare: only an in-process caller can hand over such an event; Lambda's are JSON.
    const lambdaEvent = { size: 10n };

    // Act
    const kept = JSON.parse(keptMessage({ ...rejection, lambdaEvent }).body);

    // Assess
    expect(kept).toMatchObject(keptRejection);
    expect(kept.lambdaEvent.unserialisable).toMatch(/^unserialisable Lambda event: .*BigInt/);
  });

  it('keeps a rejection without a Lambda event', () => {
    // Act
    const kept = JSON.parse(keptMessage({ ...rejection, lambdaEvent: undefined }).body);

    // Assess
    expect(kept).toEqual(keptRejection);
  });
});

describe('rejected-deliveries queue: every body fits the queue the template creates', { tags: ['child-process'] }, () => {
  let maximumMessageSize: number;
  let queueSizes: Record<string, unknown>;
  beforeAll(async () => {
    // Prepare: the queue as `serverless package` writes it (the run's package of the project).
    const template = JSON.parse(readFileSync(join(await testPackage('project'), 'cloudformation-template-update-stack.json'), 'utf8'));
    maximumMessageSize = template.Resources.RejectedDeliveriesQueue.Properties.MaximumMessageSize;
    queueSizes = Object.fromEntries(
      Object.entries(template.Resources as Record<string, { Type: string; Properties: { MaximumMessageSize?: unknown } }>)
        .filter(([, resource]) => resource.Type === 'AWS::SQS::Queue')
        .map(([id, resource]) => [id, resource.Properties.MaximumMessageSize]),
    );
  }, 180_000);

  it('gives every queue that keeps deliveries the size the code sizes against: one number, read by both', () => {
    // Assess: the rejected-deliveries queue and the five dead-letter queues.
    expect(Object.keys(queueSizes).length).toBeGreaterThanOrEqual(6);
    expect(new Set(Object.values(queueSizes))).toEqual(new Set([MAXIMUM_MESSAGE_BYTES]));
    expect(maximumMessageSize).toBe(MAXIMUM_MESSAGE_BYTES);
  });

  /** Characters of the kinds that escaping multiplies, and the ones UTF-8 makes long. */
  const escapeHeavy = fc.constantFrom(
    '\u0000',
    '\u0001',
    '\u001f',
    '\n',
    '"',
    '\\',
    'é',
    '€',
    '\u2028',
    '\u2029',
    '\uffff',
    '\ufffe',
    '😀',
    '𝄞',
    'a',
  );
  const loneSurrogate = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff');
  /** A text of `bytes` UTF-8 bytes or a little under, repeating a generated run of characters. */
  const ofBytes = (bytes: number, run: string[]) => {
    const unit = run.join('');
    const text = unit.repeat(Math.ceil(bytes / Math.max(1, Buffer.byteLength(unit))));
    let end = text.length;
    while (Buffer.byteLength(text.slice(0, end)) > bytes)
      end -= Math.max(1, Math.floor((Buffer.byteLength(text.slice(0, end)) - bytes) / 4));
    return text.slice(0, end);
  };
  const size = (largest: number) => fc.oneof(fc.integer({ min: 0, max: largest }), fc.integer({ min: largest - 2_000, max: largest }));
  /** What SNS can deliver: a message of up to 256 KiB of UTF-8. */
  const throughSns = fc
    .tuple(size(256 * 1024), fc.array(escapeHeavy, { minLength: 1, maxLength: 8 }))
    .map(([bytes, run]) => ({ viaSns: true, lambdaEvent: snsLambdaEvent(ofBytes(bytes, run), { messageId: 'generated-sns' }) as unknown }));
  /** What an asynchronous invocation can carry: up to 1 MiB of JSON, SNS-shaped or not, unpaired surrogates too. */
  const asynchronous = fc
    .tuple(size(1024 * 1024), fc.array(fc.oneof(escapeHeavy, loneSurrogate), { minLength: 1, maxLength: 8 }), fc.boolean())
    .map(([bytes, run, snsShaped]) => {
      // Shrinks the content until the event's JSON is within the payload limit.
      let content = ofBytes(bytes, run);
      const build = () => (snsShaped ? (snsLambdaEvent(content, { messageId: 'generated-async' }) as unknown) : { content });
      while (Buffer.byteLength(JSON.stringify(build())) > 1024 * 1024) content = content.slice(0, Math.floor(content.length * 0.9));
      return { viaSns: false, lambdaEvent: build() };
    });

  test.prop(
    [
      fc.oneof(throughSns, asynchronous),
      fc.constantFrom('messages', 'other'),
      fc.constantFrom('bad_base64', 'invalid_json', 'not_one_record'),
    ],
    {
      numRuns: 40,
    },
  )('fits, is JSON SQS takes, keeps the reason and the MessageId, and keeps every SNS message whole', (generated, category, reason) => {
    // Prepare
    const { lambdaEvent } = generated;
    const snsMessageId = (lambdaEvent as { Records?: Array<{ Sns: { MessageId: string } }> }).Records?.[0]?.Sns.MessageId;

    // Act
    const { body, attributes } = keptMessage({
      category,
      reason,
      detail: 'generated',
      eventType: undefined,
      snsMessageId,
      lambdaEvent,
    } as never);

    // Assess: counted here, as SQS counts it.
    const bytes = Object.entries(attributes).reduce(
      (sum, [name, attribute]) =>
        sum + Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType) + Buffer.byteLength(attribute.StringValue),
      Buffer.byteLength(body, 'utf8'),
    );
    expect(bytes).toBeLessThanOrEqual(maximumMessageSize);
    expect(SQS_CHARACTERS.test(body)).toBe(true);
    const kept = JSON.parse(body);
    expect(kept).toMatchObject({ reason, category, ...(snsMessageId === undefined ? {} : { snsMessageId }) });
    expect(attributes.reason?.StringValue).toBe(reason);
    if (generated.viaSns) {
      const message = (lambdaEvent as { Records: Array<{ Sns: { Message: string } }> }).Records[0]!.Sns.Message;
      expect(kept.cut).toBeUndefined();
      expect(messageIn(kept)).toBe(message);
    } else if (kept.cut !== undefined) {
      const text = JSON.stringify(lambdaEvent);
      expect(kept.cut.lambdaEventBytes).toBe(Buffer.byteLength(text));
      expect(text.startsWith(kept.lambdaEventHead)).toBe(true);
    }
  });
});

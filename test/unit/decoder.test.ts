import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeMessage, snsLambdaEvent } from '../../emulator/index.js';
import { DECODE_LIMITS } from '../../shared/decode-limits.js';
import { decodeSnsDelivery } from '../../shared/decoder.js';
import { PoisonDeliveryError, RejectionReason } from '../../shared/errors.js';
import { MessageEncoding } from '../../shared/types.js';
import { sampleJson, samples } from '../support/samples.js';

const ENCODINGS = Object.values(MessageEncoding);

function delivery(message: string, messageId = 'm-1') {
  return snsLambdaEvent(message, { messageId });
}

function rejectionOf(lambdaEvent: unknown): PoisonDeliveryError {
  try {
    decodeSnsDelivery(lambdaEvent);
  } catch (error) {
    if (error instanceof PoisonDeliveryError) return error;
    throw error;
  }
  throw new Error('the delivery was accepted');
}

describe('decodeSnsDelivery: every sample in every encoding', () => {
  for (const sample of samples()) {
    for (const encoding of ENCODINGS) {
      it(`decodes ${sample.type} sent as ${encoding}`, () => {
        // Prepare
        const lambdaEvent = delivery(encodeMessage(sample.json, encoding), `id-${encoding}`);

        // Act
        const decoded = decodeSnsDelivery(lambdaEvent);

        // Assess
        expect(decoded.event).toEqual(sample.event);
        expect(decoded.sns.encoding).toBe(encoding);
        expect(decoded.sns.messageId).toBe(`id-${encoding}`);
        expect(decoded.sns.topicArn).toMatch(/^arn:aws:sns:/);
        expect(decoded.sns.timestamp).toBe('2026-07-14T12:00:00.000Z');
        expect(decoded.createdAt).toBeInstanceOf(Date);
      });
    }
  }

  it('gives the same event key whatever the encoding and MessageId', () => {
    // Prepare
    const json = sampleJson('message.new');

    // Act
    const hashes = ENCODINGS.map((encoding, i) => decodeSnsDelivery(delivery(encodeMessage(json, encoding), `m${i}`)).eventKey);

    // Assess
    expect(new Set(hashes).size).toBe(1);
  });

  it('gives distinct events distinct keys', () => {
    // Prepare
    const first = JSON.stringify({ type: 'reaction.new', reaction: { type: 'like', user_id: 'a' } });
    const second = JSON.stringify({ type: 'reaction.new', reaction: { type: 'like', user_id: 'b' } });

    // Act
    const [a, b] = [first, second].map((json) => decodeSnsDelivery(delivery(json)).eventKey);

    // Assess
    expect(a).not.toBe(b);
  });

  it('decodes the SNS envelope captured in the Stream notes (base64 of gzip)', () => {
    // Prepare
    const fixture = JSON.parse(readFileSync(new URL('../fixtures/sns-envelope.message.new.base64-gzip.json', import.meta.url), 'utf8')) as {
      envelope: { Message: string; MessageId: string };
    };
    const lambdaEvent = delivery(fixture.envelope.Message, fixture.envelope.MessageId);

    // Act
    const decoded = decodeSnsDelivery(lambdaEvent);

    // Assess
    expect(decoded.event.type).toBe('message.new');
    expect(decoded.sns.encoding).toBe(MessageEncoding.Base64Gzip);
    expect(decoded.sns.messageId).toBe(fixture.envelope.MessageId);
  });

  it('keeps SNS message attributes beside the event', () => {
    // Prepare
    const lambdaEvent = delivery('{"type":"message.new"}');
    lambdaEvent.Records[0]!.Sns.MessageAttributes = { origin: { Type: 'String', Value: 'stream' } };

    // Act
    const decoded = decodeSnsDelivery(lambdaEvent);

    // Assess
    expect(decoded.sns.attributes).toEqual({ origin: { Type: 'String', Value: 'stream' } });
  });
});

describe('decodeSnsDelivery: poison input', () => {
  const gzipBase64 = (text: string | Buffer) => gzipSync(text).toString('base64');
  const cases: Array<[string, unknown, RejectionReason]> = [
    ['no Records array', {}, RejectionReason.NotOneRecord],
    ['an empty Records array', { Records: [] }, RejectionReason.NotOneRecord],
    ['two records', { Records: [delivery('{"type":"a"}').Records[0], delivery('{"type":"b"}').Records[0]] }, RejectionReason.NotOneRecord],
    ['a record from SQS', { Records: [{ EventSource: 'aws:sqs', body: '{}' }] }, RejectionReason.NotSnsRecord],
    ['an SNS record without a Message', { Records: [{ EventSource: 'aws:sns', Sns: {} }] }, RejectionReason.NotSnsRecord],
    ['a Lambda event that is not an object', 'hello', RejectionReason.NotOneRecord],
    ['bad base64', delivery('not base64 at all!'), RejectionReason.BadBase64],
    ['base64 of a truncated gzip', delivery(gzipBase64('{"type":"message.new"}').slice(0, 24)), RejectionReason.BadGzip],
    ['base64 of bytes that are not UTF-8', delivery(Buffer.from([0xff, 0xfe, 0x7b, 0x00]).toString('base64')), RejectionReason.InvalidUtf8],
    ['raw text that is not JSON', delivery('{"type": "message.new",'), RejectionReason.InvalidJson],
    ['base64 of text that is not JSON', delivery(Buffer.from('hello world').toString('base64')), RejectionReason.InvalidJson],
    ['gzip of text that is not JSON', delivery(gzipBase64('<xml/>')), RejectionReason.InvalidJson],
    ['a JSON array', delivery(Buffer.from('[1,2]').toString('base64')), RejectionReason.NotAnObject],
    ['JSON null, raw', delivery('null'), RejectionReason.NotAnObject],
    ['a JSON string, raw', delivery('"message.new"'), RejectionReason.NotAnObject],
    ['a JSON number, raw', delivery('42'), RejectionReason.NotAnObject],
    ['an event without type', delivery('{"cid":"messaging:x"}'), RejectionReason.MissingType],
    ['an empty type', delivery('{"type":""}'), RejectionReason.InvalidType],
    ['a blank type', delivery('{"type":"   "}'), RejectionReason.InvalidType],
    ['a numeric type', delivery('{"type":42}'), RejectionReason.InvalidType],
    ['a null type', delivery('{"type":null}'), RejectionReason.InvalidType],
    ['an object type', delivery('{"type":{"name":"message.new"}}'), RejectionReason.InvalidType],
    [
      'a message over 256 KiB',
      delivery(`{"type":"message.new","text":"${'x'.repeat(DECODE_LIMITS.maxMessageBytes)}"}`),
      RejectionReason.MessageTooLarge,
    ],
    ['a gzip bomb', delivery(gzipBase64(Buffer.alloc(64 * 1024 * 1024, 0x20))), RejectionReason.InflatedTooLarge],
    [
      'raw JSON nested 100,000 levels',
      delivery(`{"type":"message.new","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`),
      RejectionReason.TooDeep,
    ],
    [
      'JSON nested past the depth limit',
      delivery(`{"type":"message.new","x":${'['.repeat(100)}${']'.repeat(100)}}`),
      RejectionReason.TooDeep,
    ],
  ];
  for (const [name, lambdaEvent, reason] of cases) {
    it(`rejects ${name} as ${reason}`, () => {
      // Act
      const rejection = rejectionOf(lambdaEvent);

      // Assess
      expect(rejection.reason).toBe(reason);
      expect(rejection.message.length).toBeGreaterThan(reason.length + 2);
    });
  }

  it('quotes at most 40 characters of the EventSource of a record that is not from SNS', () => {
    // Act
    const rejection = rejectionOf({ Records: [{ EventSource: `aws:${'s'.repeat(100)}`, Sns: {} }] });

    // Assess
    expect(rejection.message).toBe(
      `not_sns_record: expected an SNS notification (EventSource aws:sns with a string Sns.Message), found EventSource "aws:${'s'.repeat(36)}"`,
    );
  });

  it('keeps the error that zlib or the UTF-8 decoder met as the cause of bad_gzip, inflated_too_large and invalid_utf8', () => {
    // Act
    const [badGzip, bomb, notUtf8] = [
      delivery(gzipBase64('{"type":"message.new"}').slice(0, 24)),
      delivery(gzipBase64(Buffer.alloc(DECODE_LIMITS.maxInflatedBytes + 1, 0x20))),
      delivery(Buffer.from([0xff, 0xfe, 0x7b, 0x00]).toString('base64')),
    ].map(rejectionOf);

    // Assess
    expect(badGzip!.cause).toBeInstanceOf(Error);
    expect(badGzip!.message).toBe(`bad_gzip: ${(badGzip!.cause as Error).message}`);
    expect(bomb!.cause).toMatchObject({ code: 'ERR_BUFFER_TOO_LARGE' });
    expect(notUtf8!.cause).toBeInstanceOf(TypeError);
  });

  it('rejects gzip-compressed JSON nested 100,000 levels without overflowing the stack', () => {
    // Prepare
    const deep = `{"type":"message.new","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;

    // Act
    const rejection = rejectionOf(delivery(gzipBase64(deep)));

    // Assess
    expect(rejection.reason).toBe(RejectionReason.TooDeep);
  });
});

describe('decodeSnsDelivery: hostile keys', () => {
  it('keeps __proto__ and constructor as plain data, polluting nothing', () => {
    // Prepare
    const json = '{"type":"message.new","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}';

    // Act
    const decoded = decodeSnsDelivery(delivery(gzipSync(json).toString('base64')));

    // Assess
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(decoded.event)).toBe(Object.prototype);
    expect(Object.hasOwn(decoded.event, '__proto__')).toBe(true);
    expect((decoded.event as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keys events that differ only inside __proto__ differently', () => {
    // Prepare
    const a = '{"type":"message.new","__proto__":{"a":1}}';
    const b = '{"type":"message.new","__proto__":{"a":2}}';

    // Act
    const [hashA, hashB] = [a, b].map((json) => decodeSnsDelivery(delivery(json)).eventKey);

    // Assess
    expect(hashA).not.toBe(hashB);
  });
});

describe('decodeSnsDelivery: limits at their boundaries', () => {
  const gzipBase64 = (text: string) => gzipSync(text).toString('base64');
  /** An event of exactly `values` JSON values as the limit counts them (`{`, `[` and `,`): many empty objects. */
  const eventWithValues = (values: number) => {
    const objects = Math.floor((values - 2) / 2);
    const scalar = (values - 2) % 2 === 1 ? ',0' : '';
    return `{"type":"message.new","v":[${Array.from({ length: objects }, () => '{}').join(',')}${scalar}]}`;
  };
  const nested = (levels: number) => `{"type":"message.new","x":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;

  it('counts the 256 KiB message limit in UTF-8 bytes, as SNS does, not in characters', () => {
    // Prepare: 100,000 three-byte characters are 300,000 bytes in 100,000 characters.
    const message = `{"type":"message.new","text":"${'€'.repeat(100_000)}"}`;

    // Act
    const rejection = rejectionOf(delivery(message));

    // Assess
    expect(message.length).toBeLessThan(DECODE_LIMITS.maxMessageBytes);
    expect(rejection.reason).toBe(RejectionReason.MessageTooLarge);
  });

  it('accepts a message of exactly 256 KiB and rejects one byte more', () => {
    // Prepare
    const frame = '{"type":"message.new","text":""}'.length;
    const exact = `{"type":"message.new","text":"${'é'.repeat((DECODE_LIMITS.maxMessageBytes - frame) / 2)}"}`;
    const over = `${exact} `;

    // Act
    const accepted = decodeSnsDelivery(delivery(exact));
    const rejection = rejectionOf(delivery(over));

    // Assess
    expect(Buffer.byteLength(exact)).toBe(DECODE_LIMITS.maxMessageBytes);
    expect(accepted.event.type).toBe('message.new');
    expect(rejection.reason).toBe(RejectionReason.MessageTooLarge);
  });

  it('accepts exactly the value limit and rejects one value more, without parsing it', () => {
    // Act
    const accepted = decodeSnsDelivery(delivery(gzipBase64(eventWithValues(DECODE_LIMITS.maxJsonValues))));
    const rejection = rejectionOf(delivery(gzipBase64(eventWithValues(DECODE_LIMITS.maxJsonValues + 1))));

    // Assess
    expect((accepted.event as { v?: unknown[] }).v).toHaveLength((DECODE_LIMITS.maxJsonValues - 2) / 2);
    expect(rejection.reason).toBe(RejectionReason.TooManyValues);
  });

  it('accepts exactly the depth limit and rejects one level more', () => {
    // Act
    const accepted = decodeSnsDelivery(delivery(nested(DECODE_LIMITS.maxDepth)));
    const rejection = rejectionOf(delivery(nested(DECODE_LIMITS.maxDepth + 1)));

    // Assess
    expect(accepted.event.type).toBe('message.new');
    expect(rejection.reason).toBe(RejectionReason.TooDeep);
  });

  it('finds the depth past the limit in any member, not only the first', () => {
    // Prepare
    const json = `{"type":"message.new","a":{},"b":[1,2],"x":${'['.repeat(DECODE_LIMITS.maxDepth)}${']'.repeat(DECODE_LIMITS.maxDepth)}}`;

    // Act
    const rejection = rejectionOf(delivery(json));

    // Assess
    expect(rejection.reason).toBe(RejectionReason.TooDeep);
  });

  it('does not count brackets and commas inside strings, escaped quotes included', () => {
    // Prepare
    const json = JSON.stringify({ type: 'message.new', text: `"\\${'[{,'.repeat(DECODE_LIMITS.maxJsonValues)}` });

    // Act
    const decoded = decodeSnsDelivery(delivery(gzipBase64(json)));

    // Assess
    expect(decoded.event.type).toBe('message.new');
  });

  it('accepts gzip that inflates to exactly the byte limit and rejects one byte more', () => {
    // Prepare
    const frame = '{"type":"message.new","text":""}'.length;
    const exact = `{"type":"message.new","text":"${'x'.repeat(DECODE_LIMITS.maxInflatedBytes - frame)}"}`;

    // Act
    const accepted = decodeSnsDelivery(delivery(gzipBase64(exact)));
    const rejection = rejectionOf(delivery(gzipBase64(`${exact} `)));

    // Assess
    expect(accepted.event.type).toBe('message.new');
    expect(rejection.reason).toBe(RejectionReason.InflatedTooLarge);
  });
});

describe('decodeSnsDelivery: every top-level type member', () => {
  /** A gzip member whose header holds a file name, as `gzip -N` writes it: the peek's bytes hold no JSON. */
  const gzipWithName = (json: string) => {
    const plain = gzipSync(json);
    const name = Buffer.from(`${'n'.repeat(300)}\0`);
    return Buffer.concat([plain.subarray(0, 3), Buffer.from([plain[3]! | 8]), plain.subarray(4, 10), name, plain.subarray(10)]).toString(
      'base64',
    );
  };
  const conflicting = '{"type":"user.banned","x":1,"type":"message.new"}';
  const layouts = {
    plain: conflicting,
    'the first key escaped': conflicting.replace('"type"', '"\\u0074ype"'),
    'the first value escaped': conflicting.replace('"user.banned"', '"user\\u002ebanned"'),
    'the second key escaped': '{"type":"user.banned","x":1,"typ\\u0065":"message.new"}',
    '600 spaces before the first key': conflicting.replace('{', `{${' '.repeat(600)}`),
    'a gzip header with a file name': gzipWithName(conflicting),
  };
  for (const [name, message] of Object.entries(layouts)) {
    it(`rejects two disagreeing type members as conflicting_type, naming the first, with ${name}`, () => {
      // Act
      const rejection = rejectionOf(delivery(message));

      // Assess
      expect(rejection.reason).toBe(RejectionReason.ConflictingType);
      expect(rejection.firstType).toBe('user.banned');
      expect(rejection.message).toBe('conflicting_type: the first "type" member is "user.banned", a later one "message.new"');
    });
  }

  it('accepts type members that agree once unescaped, and reads the type they share', () => {
    // Prepare
    const message = '{"type":"message.new","x":1,"\\u0074ype":"message\\u002enew","type" : "message.new"}';

    // Act
    const decoded = decodeSnsDelivery(delivery(message));

    // Assess
    expect(decoded.event.type).toBe('message.new');
  });

  it('compares values that are not strings as JSON values: key order and number spelling do not count', () => {
    // Prepare
    const agreeing = '{"type":{"a":1,"b":[2.0]},"type":{"b":[2],"a":1e0}}';
    const disagreeing = '{"type":{"a":1},"type":{"a":2}}';

    // Act
    const reasons = [agreeing, disagreeing].map((message) => rejectionOf(delivery(message)));

    // Assess
    expect(reasons.map((rejection) => [rejection.reason, rejection.firstType])).toEqual([
      [RejectionReason.InvalidType, undefined],
      [RejectionReason.ConflictingType, undefined],
    ]);
  });

  it('rejects a string type after a first type that is not one as conflicting, not as the later type', () => {
    // Act
    const rejection = rejectionOf(delivery('{"type":7,"type":"message.new"}'));

    // Assess
    expect([rejection.reason, rejection.firstType]).toEqual([RejectionReason.ConflictingType, undefined]);
  });

  it('carries the first type member on every rejection of the text, even where the text breaks or passes a limit', () => {
    // Prepare
    const deep = `${'['.repeat(DECODE_LIMITS.maxDepth + 1)}${']'.repeat(DECODE_LIMITS.maxDepth + 1)}`;
    const messages = [
      `{"x":${deep},"type":"message.new"}`,
      '{"\\u0074ype":"message.new","text":}',
      '{"type":"message.new","type":""}',
      '{"type":"","cid":"x"}',
      '{"type":"message.new\u0001"}',
    ];

    // Act
    const rejections = messages.map((message) => rejectionOf(delivery(message)));

    // Assess
    expect(rejections.map((rejection) => [rejection.reason, rejection.firstType])).toEqual([
      [RejectionReason.TooDeep, 'message.new'],
      [RejectionReason.InvalidJson, 'message.new'],
      [RejectionReason.ConflictingType, 'message.new'],
      [RejectionReason.InvalidType, ''],
      // A raw control character: the value is no JSON string, so no type was read.
      [RejectionReason.InvalidJson, undefined],
    ]);
  });

  it("keeps JSON.parse's error as the cause of invalid_json, and gives the other rejections of the text none", () => {
    // Act
    const [invalid, tooDeep] = ['{"type":"message.new",}', `{"type":"message.new","x":${'['.repeat(100)}${']'.repeat(100)}}`].map(
      (message) => rejectionOf(delivery(message)),
    );

    // Assess
    expect(invalid!.cause).toBeInstanceOf(SyntaxError);
    expect(Object.hasOwn(tooDeep!, 'cause')).toBe(false);
  });

  it('carries no type on a rejection made before there is JSON text', () => {
    // Act
    const rejection = rejectionOf(delivery(`{"type":"message.new","text":"${'y'.repeat(300 * 1024)}"}`));

    // Assess
    expect([rejection.reason, rejection.firstType]).toEqual([RejectionReason.MessageTooLarge, undefined]);
  });
});

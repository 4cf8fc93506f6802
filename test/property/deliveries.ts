/**
 * Generated SNS deliveries for the property tests: what Stream sends, what an attacker with access to the topic
 * could send, and what an operator re-publishing by hand produces. Built from the samples, mutated where the
 * ownership rule is most fragile: the first key, a second `type`, escapes, nesting near the limit, truncation,
 * each of the three encodings and several gzip variants.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { snsLambdaEvent } from '../../emulator/index.js';
import { EVENT_TYPE_CATEGORY } from '../../shared/catalog.js';
import { DECODE_LIMITS } from '../../shared/decode-limits.js';
import { samples } from '../support/samples.js';

const SAMPLE_EVENTS = samples().map((sample) => JSON.parse(sample.json) as Record<string, unknown>);
const TYPES = [...Object.keys(EVENT_TYPE_CATEGORY), 'custom.thing', '__proto__', 'constructor', 'message new', ''];

/** A value for `type` that may or may not be a usable type. */
const typeValue = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...TYPES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** A JSON member text `"type":<value>`, sometimes with its key escaped. */
const typeMember = fc
  .tuple(typeValue, fc.constantFrom('"type"', '"\\u0074ype"', '"typ\\u0065"', ' "type" '))
  .map(([value, key]) => `${key}:${JSON.stringify(value) ?? 'null'}`);

const nesting = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** One sample, as JSON text, changed in ways that move or break its type. */
const mutatedSample = fc
  .record({
    event: fc.constantFrom(...SAMPLE_EVENTS),
    order: fc.constantFrom('as-is', 'reversed', 'type-last'),
    indent: fc.constantFrom(undefined, 2, '\t'),
    typeChange: fc.constantFrom('none', 'remove', 'replace', 'prepend-second', 'append-second', 'escape-key', 'nest'),
    typeMember,
    createdAt: fc.option(
      fc.oneof(
        fc.jsonValue({ maxDepth: 1 }),
        fc.constantFrom('2024-02-30T24:00:00Z', 1e300, -1, '1784023111221904123', { toString: 0, valueOf: 0 }),
      ),
      { nil: undefined },
    ),
    extraMember: fc.constantFrom('', '', '', ',"n":1e400', ',"n":-0', ',"s":"\\ud800"', ',"s":"\uffff"'),
    depth: fc.option(fc.integer({ min: DECODE_LIMITS.maxDepth - 3, max: DECODE_LIMITS.maxDepth + 3 }), { nil: undefined }),
    truncateAt: fc.option(fc.nat(), { freq: 8, nil: undefined }),
    prefix: fc.constantFrom('', '', '', ' \n', '\ufeff'),
  })
  .map(({ event, order, indent, typeChange, typeMember, createdAt, extraMember, depth, truncateAt, prefix }) => {
    let members = Object.entries(event).filter(([key]) => key !== 'created_at' || createdAt === undefined);
    if (createdAt !== undefined) members.push(['created_at', createdAt]);
    if (order === 'reversed') members = members.reverse();
    if (order === 'type-last') members = [...members.filter(([key]) => key !== 'type'), ...members.filter(([key]) => key === 'type')];
    if (typeChange === 'remove') members = members.filter(([key]) => key !== 'type');
    if (typeChange === 'nest') members = members.map(([key, value]) => (key === 'type' ? [key, { type: value }] : [key, value]));
    let text = JSON.stringify(Object.fromEntries(members), null, indent);
    if (typeChange === 'replace') text = text.replace(/"type":\s*"[^"]*"/, typeMember);
    if (typeChange === 'prepend-second') text = text.replace('{', `{${typeMember},`);
    if (typeChange === 'append-second') text = text.replace(/\}\s*$/, `,${typeMember}}`);
    if (typeChange === 'escape-key') text = text.replace('"type"', '"\\u0074ype"');
    if (depth !== undefined) text = text.replace(/\}\s*$/, `,"deep":${nesting(depth - 1)}}`);
    text = text.replace(/\}\s*$/, `${extraMember}}`);
    if (truncateAt !== undefined) text = text.slice(0, truncateAt % (text.length + 1));
    return prefix + text;
  });

/** JSON text of any shape, and text that is not JSON at all. */
const otherText = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify({ type: value })),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

/** How the text travels as an SNS message: Stream's three encodings and what can go wrong with each. */
function encodings(text: string): fc.Arbitrary<string> {
  const bytes = Buffer.from(text);
  return fc.oneof(
    fc.constant(text),
    fc.constant(bytes.toString('base64')),
    fc.integer({ min: 0, max: 9 }).map((level) => gzipSync(bytes, { level }).toString('base64')),
    // Computed only when picked (each text reaches `encodings` once per generated delivery).
    fc
      .constant(bytes)
      .map((whole) =>
        Buffer.concat([gzipSync(whole.subarray(0, whole.length >> 1)), gzipSync(whole.subarray(whole.length >> 1))]).toString('base64'),
      ),
    fc
      .tuple(fc.constantFrom(' ', '\n', '\t\r\n'), fc.constantFrom('', ' ', '\n'))
      .map(([before, after]) => `${before}${gzipSync(bytes).toString('base64')}${after}`),
    fc.nat().map((cut) => {
      const encoded = gzipSync(bytes).toString('base64');
      return encoded.slice(0, cut % (encoded.length + 1));
    }),
  );
}

/** Raw bytes as an SNS message: latin-1 text, or their base64. */
const randomBytes = fc
  .uint8Array({ maxLength: 80 })
  .chain((bytes) =>
    fc.constantFrom(Buffer.from(bytes).toString('latin1'), Buffer.from(bytes).toString('base64'), gzipSync(bytes).toString('base64')),
  );

/** An SNS message: any text, mostly close to a Stream event. */
export const snsMessage = fc.oneof(
  { weight: 6, arbitrary: mutatedSample.chain(encodings) },
  { weight: 2, arbitrary: otherText.chain(encodings) },
  { weight: 1, arbitrary: randomBytes },
);

/** A Lambda event: almost always one SNS record, sometimes something SNS never sends. */
export const lambdaEvent = fc.oneof(
  { weight: 12, arbitrary: snsMessage.map((message) => snsLambdaEvent(message, { messageId: 'generated' }) as unknown) },
  {
    weight: 1,
    arbitrary: snsMessage.map(
      (message) =>
        ({
          Records: [
            snsLambdaEvent(message, { messageId: 'generated' }).Records[0],
            snsLambdaEvent(message, { messageId: 'generated' }).Records[0],
          ],
        }) as unknown,
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: snsMessage.map(
      (message) =>
        ({ Records: [{ ...snsLambdaEvent(message, { messageId: 'generated' }).Records[0], EventSource: 'aws:sqs' }] }) as unknown,
    ),
  },
);

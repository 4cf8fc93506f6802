/**
 * The shape of a Stream event's JSON text, measured before it is parsed: what the scan counts, where it stops, and
 * what the decoder then accepts or rejects.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { snsLambdaEvent } from '../../emulator/index.js';
import { DECODE_LIMITS } from '../../shared/decode-limits.js';
import { decodeSnsDelivery } from '../../shared/decoder.js';
import { PoisonDeliveryError, RejectionReason } from '../../shared/errors.js';
import { measureJsonShape } from '../../shared/json-shape.js';

/** Delivers `json` as Stream sends it, base64 of gzip: the large ones fit in an SNS message only so. */
const deliver = (json: string) => decodeSnsDelivery(snsLambdaEvent(gzipSync(json).toString('base64'), { messageId: 'shape' }));
const beyondDepth = '['.repeat(DECODE_LIMITS.maxDepth + 1);
const nestedBeyondDepth = `${beyondDepth}${']'.repeat(DECODE_LIMITS.maxDepth + 1)}`;
const zeros = (count: number) => Array.from({ length: count }, () => '0').join(',');

function reasonOf(json: string): string {
  try {
    deliver(json);
  } catch (error) {
    if (error instanceof PoisonDeliveryError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('measureJsonShape', () => {
  it('reports the deepest nesting, wherever in the text it is', () => {
    // Act
    const shape = measureJsonShape('{"a":[[1]],"b":[],"c":{}}', { maxDepth: 64, maxValues: 100 });

    // Assess
    expect(shape).toEqual({ depth: 3, values: 7, typeValues: [] });
  });

  it('stops at the first limit the text passes, so that a hostile text costs no more than the limit', () => {
    // Prepare
    const limits = { maxDepth: 3, maxValues: 4 };

    // Act
    const tooDeep = measureJsonShape('[[[[[[[[', limits);
    const tooManyCommas = measureJsonShape('[0,0,0,0,0,0,0,0]', limits);
    const tooManyBrackets = measureJsonShape('[[[[[[[[]]]]]]]]', { maxDepth: 64, maxValues: 4 });

    // Assess: the figure returned is the one just over the limit.
    expect(tooDeep).toEqual({ depth: 4, values: 4, typeValues: [] });
    expect(tooManyCommas).toEqual({ depth: 1, values: 5, typeValues: [] });
    expect(tooManyBrackets).toEqual({ depth: 5, values: 5, typeValues: [] });
  });
});

describe('decodeSnsDelivery: the shape of the text', () => {
  it('accepts an event with more sibling arrays than the depth limit: depth is nesting, not a count', () => {
    // Prepare
    const lists = Array.from({ length: DECODE_LIMITS.maxDepth * 2 }, () => '[]').join(',');

    // Act
    const reason = reasonOf(`{"type":"message.new","lists":[${lists}]}`);

    // Assess
    expect(reason).toBe('accepted');
  });

  it('reads a string that ends in an escaped backslash as closed, so brackets in the next string stay text', () => {
    // Prepare: a Windows path, then a text full of brackets.
    const json = JSON.stringify({ type: 'message.new', path: 'C:\\', text: beyondDepth });

    // Act
    const reason = reasonOf(json);

    // Assess
    expect(json).toContain('"C:\\\\"');
    expect(reason).toBe('accepted');
  });

  it('reads an escaped quote as part of its string, so the brackets after it stay text', () => {
    // Prepare
    const json = JSON.stringify({ type: 'message.new', text: `she said "${beyondDepth}"` });

    // Act
    const reason = reasonOf(json);

    // Assess
    expect(reason).toBe('accepted');
  });

  it('finds the nesting that follows a string ending in an escaped backslash', () => {
    // Prepare
    const json = `{"type":"message.new","path":"C:\\\\","x":${nestedBeyondDepth}}`;

    // Act
    const reason = reasonOf(json);

    // Assess
    expect(reason).toBe(RejectionReason.TooDeep);
  });

  it('accepts exactly the value limit of numbers and rejects one more, counting each comma', () => {
    // Prepare: the object, its comma, the array: three values; then one per number after the first.
    const numbers = (count: number) => `{"type":"message.new","v":[${zeros(count)}]}`;
    const atLimit = numbers(DECODE_LIMITS.maxJsonValues - 2);
    const overLimit = numbers(DECODE_LIMITS.maxJsonValues - 1);

    // Act
    const reasons = [atLimit, overLimit].map((json) => reasonOf(json));

    // Assess
    expect(measureJsonShape(atLimit, { maxDepth: 64, maxValues: Infinity }).values).toBe(DECODE_LIMITS.maxJsonValues);
    expect(reasons).toEqual(['accepted', RejectionReason.TooManyValues]);
  });

  it('names the first limit the text passes: too many values before a deep nesting', () => {
    // Prepare: the values pass the limit at a comma in the first, at the first bracket of the nesting in the second.
    const atComma = `{"type":"message.new","v":[${zeros(DECODE_LIMITS.maxJsonValues)}],"x":${nestedBeyondDepth}}`;
    const atBracket = `{"type":"message.new","v":[${zeros(DECODE_LIMITS.maxJsonValues - 3)}],"x":${nestedBeyondDepth}}`;

    // Act
    const reasons = [atComma, atBracket].map((text) => reasonOf(text));

    // Assess
    expect(measureJsonShape(atBracket.slice(0, atBracket.indexOf('"x"') + 4), { maxDepth: 64, maxValues: Infinity }).values).toBe(
      DECODE_LIMITS.maxJsonValues,
    );
    expect(reasons).toEqual([RejectionReason.TooManyValues, RejectionReason.TooManyValues]);
  });
});

describe('measureJsonShape: the top-level type members', () => {
  const limits = { maxDepth: 64, maxValues: 1_000 };
  /** The text of each type member's value, as the scan delimits it. */
  const typeValueTexts = (text: string, scanLimits = limits) =>
    measureJsonShape(text, scanLimits).typeValues.map(({ start, end }) => `${text.slice(start, end)}${end === text.length ? '<end>' : ''}`);

  it('finds every top-level type member in document order, its key escaped or not, whatever the whitespace', () => {
    // Prepare
    const text = '{ "type" : "a" ,"x":1,\n\t"\\u0074ype":\t"b","typ\\u0065" :{"type":"nested"} , "t\\u0079pe":[1,{"a":2}]\r\n}';

    // Act
    const found = typeValueTexts(text);

    // Assess
    expect(found).toEqual(['"a"', '"b"', '{"type":"nested"} ', '[1,{"a":2}]\r\n']);
  });

  it('ignores nested type keys, string values that read "type", keys that only resemble it, and the members of an array', () => {
    // Prepare
    const texts = [
      '{"a":{"type":"x"},"b":"type","c":["type"],"Type":1,"types":2,"typ":3,"\\u0054ype":4}',
      '[{"type":"x"},{"type":"y"}]',
      '["type":1]',
      '"type"',
    ];

    // Act
    const found = texts.map((text) => typeValueTexts(text));

    // Assess
    expect(found).toEqual([[], [], [], []]);
  });

  it('reads a number, a literal and a string value up to where each ends, and marks one the text cuts off', () => {
    // Prepare
    const texts = ['{"type":42}', '{"type":null,"x":1}', '{"type":"a\\"b\\\\"}', '{"type":"cut her', '{"type":12'];

    // Act
    const found = texts.map((text) => typeValueTexts(text));

    // Assess
    expect(found).toEqual([['42'], ['null'], ['"a\\"b\\\\"'], ['"cut her<end>'], ['12<end>']]);
  });

  it('goes on past a limit until it has found the first type member, and stops there', () => {
    // Prepare: the type member after a nesting past the limit, then a second one.
    const deep = `${'['.repeat(10)}${']'.repeat(10)}`;
    const text = `{"x":${deep},"y":[1,2,3,4,5,6],"type":"first","z":${deep},"type":"second"}`;

    // Act
    const shape = measureJsonShape(text, { maxDepth: 3, maxValues: 1_000 });
    const manyValues = measureJsonShape(text, { maxDepth: 64, maxValues: 5 });

    // Assess: the figures are those at the limit; only the first member is reported.
    expect(shape.depth).toBe(4);
    expect(shape.typeValues.map(({ start, end }) => text.slice(start, end))).toEqual(['"first"']);
    expect(manyValues.values).toBe(6);
    expect(manyValues.typeValues.map(({ start, end }) => text.slice(start, end))).toEqual(['"first"']);
  });

  it('stops at once past a limit when the first type member is already found', () => {
    // Prepare: a second member after the limit is passed, and a third with a non-string value.
    const text = `{"type":"first","x":${'['.repeat(10)}${']'.repeat(10)},"type":"second","type":7}`;

    // Act
    const shape = measureJsonShape(text, { maxDepth: 3, maxValues: 1_000 });

    // Assess
    expect(shape.typeValues).toHaveLength(1);
  });

  it('reads a key long enough to be "type" with every letter escaped, and none longer', () => {
    // Prepare
    const allEscaped = '"\\u0074\\u0079\\u0070\\u0065"';
    const texts = [`{${allEscaped}:1}`, `{"\\u0074\\u0079\\u0070\\u0065\\/":1}`, '{"\\t":1,"\\"type":2}', '{"typ\\e":1,"t\\u00":2}'];

    // Act
    const found = texts.map((text) => typeValueTexts(text));

    // Assess: the last holds escapes JSON does not have, which unescape to nothing.
    expect(found).toEqual([['1'], [], [], []]);
  });
});

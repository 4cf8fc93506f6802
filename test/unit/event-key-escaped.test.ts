/**
 * The event key of events RFC 8785 cannot write as they are (unpaired surrogates, infinite numbers): they are keyed
 * in a domain of their own, which must neither fail the invocation nor meet the key of another event.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { snsLambdaEvent } from '../../emulator/index.js';
import { decodeSnsDelivery } from '../../shared/decoder.js';

const keyOf = (message: string) => decodeSnsDelivery(snsLambdaEvent(message, { messageId: 'm' })).eventKey;

describe('eventKey: the escaped domain', () => {
  it('keys an unpaired surrogate wherever it sits: before text, after text, beside an emoji', () => {
    // Prepare: JSON.parse reads each of these; RFC 8785 refuses every one of them.
    const texts = [
      '{"type":"message.new","text":"\\ud800abc"}',
      '{"type":"message.new","text":"abc\\udc00"}',
      '{"type":"message.new","text":"\\ud83d\\ude00\\ud800 hi"}',
      '{"type":"message.new","text":"hi \\udc00\\ud83d\\ude00"}',
    ];

    // Act
    const keys = texts.map(keyOf);

    // Assess
    expect(keys.every((key) => /^[\w-]{43}$/.test(key))).toBe(true);
    expect(new Set(keys).size).toBe(texts.length);
  });

  it('keeps an event with an unpaired surrogate apart from one that spells its escape out', () => {
    // Prepare: U+FFFF then "d800" is how the escaped domain writes the surrogate.
    const surrogate = '{"type":"message.new","text":"\\ud800"}';
    const spelledOut = '{"type":"message.new","text":"\uffffd800"}';

    // Act
    const [a, b] = [surrogate, spelledOut].map(keyOf);

    // Assess
    expect(a).not.toBe(b);
  });

  it('keeps two escaped events apart when one holds the surrogate and the other its hex digits', () => {
    // Prepare
    const twoSurrogates = '{"type":"message.new","a":"\\ud800","b":"\\ud800"}';
    const surrogateAndDigits = '{"type":"message.new","a":"\\ud800","b":"d800"}';
    const infinity = '{"type":"message.new","a":"\\ud800","b":1e400}';
    const infinityWord = '{"type":"message.new","a":"\\ud800","b":"Infinity"}';

    // Act
    const keys = [twoSurrogates, surrogateAndDigits, infinity, infinityWord].map(keyOf);

    // Assess
    expect(new Set(keys).size).toBe(4);
  });

  it('keeps the v2 keys that stored idempotency records already hold', () => {
    // Prepare: SHA-256, base64url, of the canonical JSON; the escaped one after the domain's prefix
    // "escaped-for-rfc8785\n", over {"n":"\uffffInfinity","text":"\uffff\uffff and \uffffd800","type":"message.new"}.
    const plain = '{"type":"message.new","text":"hi"}';
    const escaped = '{"type":"message.new","text":"\uffff and \\ud800","n":1e400}';
    const expected = createHash('sha256').update('{"text":"hi","type":"message.new"}').digest('base64url');

    // Act
    const [plainKey, escapedKey] = [plain, escaped].map(keyOf);

    // Assess
    expect(plainKey).toBe(expected);
    expect(plainKey).toBe('GHWecEXy-LkmPY76EQHIaFyAiyc7Z5AAvMPeIYRlZiE');
    expect(escapedKey).toBe('Xw09cB0rS0fgD61yH0vMNH_YHeX3ZFQ5BLww-toturA');
  });
});

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { snsLambdaEvent } from '../../emulator/index.js';
import { decodeSnsDelivery } from '../../shared/decoder.js';
import { eventKey } from '../../shared/event-key.js';
import { sampleJson } from '../support/samples.js';

const keyOf = (message: string) => decodeSnsDelivery(snsLambdaEvent(message, { messageId: 'm' })).eventKey;
const base64 = (text: string) => Buffer.from(text).toString('base64');
const gzip = (text: string) => gzipSync(text).toString('base64');

/** Every key of an object in reverse order, all the way down. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, member]) => [key, reversed(member)]),
  );
}

describe('eventKey: one event, one key', () => {
  it('gives one key to the same event in twelve serializations', () => {
    // Prepare
    const event = { ...(JSON.parse(sampleJson('message.new')) as object), note: 'Café — naïve ✓ 😀' };
    const json = JSON.stringify(event);
    const escapedNonAscii = json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const serializations = [
      json,
      JSON.stringify(event, null, 2),
      JSON.stringify(reversed(event)),
      escapedNonAscii,
      `  \n${json}\n`,
      `\ufeff${json}`,
      base64(json),
      ` ${base64(JSON.stringify(event, null, 4))}\n`,
      base64(`\ufeff${json}`),
      gzip(json),
      gzip(JSON.stringify(reversed(event), null, '\t')),
      `\n${gzip(escapedNonAscii)}  `,
    ];

    // Act
    const keys = serializations.map(keyOf);

    // Assess
    expect(escapedNonAscii).not.toBe(json);
    expect(new Set(keys).size).toBe(1);
  });

  it('gives ten near-identical events ten keys', () => {
    // Prepare
    const base = { type: 'reaction.new', reaction: { type: 'like', user_id: 'ana', score: 1 }, cid: 'messaging:x' };
    const events = [
      base,
      { ...base, cid: 'messaging:y' },
      { ...base, reaction: { ...base.reaction, user_id: 'anb' } },
      { ...base, reaction: { ...base.reaction, score: 2 } },
      { ...base, reaction: { ...base.reaction, score: '1' } },
      { ...base, reaction: { ...base.reaction, extra: null } },
      { ...base, reaction: [base.reaction] },
      { ...base, type: 'reaction.updated' },
      { ...base, cid: 'messaging:x ' },
      { ...base, 'cid ': 'messaging:x' },
    ];

    // Act
    const keys = events.map((event) => eventKey(event));

    // Assess
    expect(new Set(keys).size).toBe(10);
  });

  it('keys events with unpaired surrogates, and keeps distinct ones distinct', () => {
    // Prepare: valid JSON that RFC 8785 refuses, and strings that escaping must not confuse with them.
    const texts = [
      '{"type":"message.new","text":"\\ud800"}',
      '{"type":"message.new","text":"\\ud801"}',
      '{"type":"message.new","text":"\\udc00\\ud800"}',
      '{"type":"message.new","text":"\\\\ud800"}',
      '{"type":"message.new","text":"\\\\ud800","x":"\\ud800"}',
      '{"type":"message.new","text":"\\\\\\\\ud800","x":"\\ud800"}',
      '{"type":"message.new","text":"\\ud83d\\ude00"}',
      '{"type":"message.new","\\ud800":1}',
    ];

    // Act
    const keys = texts.map(keyOf);

    // Assess
    expect(new Set(keys).size).toBe(texts.length);
  });

  it('keys events with numbers past the double range, apart from strings that look like them', () => {
    // Prepare: 1e400 reads as Infinity, which RFC 8785 cannot write.
    const texts = [
      '{"type":"message.new","x":1e400}',
      '{"type":"message.new","x":-1e400}',
      '{"type":"message.new","x":"\uffffInfinity","y":"\ud800"}',
      '{"type":"message.new","x":1e400,"y":"\ud800"}',
      '{"type":"message.new","x":null}',
      '{"type":"message.new","x":"Infinity"}',
    ];

    // Act
    const keys = texts.map(keyOf);

    // Assess
    expect(new Set(keys).size).toBe(texts.length);
    expect(keyOf('{"type":"message.new","x":1e500}')).toBe(keys[0]);
  });

  it('escapes U+FFFF, its own escape character, so that escaped and original strings never meet', () => {
    // Prepare
    const texts = [
      '{"type":"message.new","s":"\uffffd800","t":"\udfff"}',
      '{"type":"message.new","s":"\ud800","t":"\udfff"}',
      '{"type":"message.new","s":"\uffff\uffffd800","t":"\udfff"}',
      '{"type":"message.new","s":"\uffff","t":"\udfff"}',
      '{"type":"message.new","s":"\uffff\uffff","t":"\udfff"}',
    ];

    // Act
    const keys = texts.map(keyOf);

    // Assess
    expect(new Set(keys).size).toBe(texts.length);
  });

  it('keys the same event with an unpaired surrogate once, whatever its serialization', () => {
    // Prepare
    const json = '{"type":"message.new","text":"\\ud800","a":1}';

    // Act
    const keys = [json, '{ "a": 1, "text": "\\uD800", "type": "message.new" }', gzip(json)].map(keyOf);

    // Assess
    expect(new Set(keys).size).toBe(1);
  });
});

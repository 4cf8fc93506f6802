import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../emulator/index.js';
import { peekEventType } from '../../shared/peek.js';
import { MessageEncoding } from '../../shared/types.js';
import { samples } from '../support/samples.js';

describe('peekEventType', () => {
  it('reads the type from the first bytes of every sample in every encoding', () => {
    for (const sample of samples()) {
      for (const encoding of Object.values(MessageEncoding)) {
        // Act
        const type = peekEventType(encodeMessage(sample.json, encoding));

        // Assess
        expect(type).toBe(sample.type);
      }
    }
  });

  it('reads no further than the first 512 characters of raw JSON', () => {
    // Prepare: `{`, the spaces and `"type":"message.new"` (20 characters): 512 in all with 491 spaces.
    const padded = (spaces: number) => `{${' '.repeat(spaces)}"type":"message.new"}`;

    // Act
    const peeked = [padded(491), padded(492)].map(peekEventType);

    // Assess
    expect(peeked).toEqual(['message.new', undefined]);
  });

  it('reads the type after whitespace and a byte-order mark', () => {
    // Prepare
    const messages = [
      '  \n{ "type" : "message.new"}',
      '\ufeff{"type":"message.new"}',
      ` ${Buffer.from('\ufeff{"type":"message.new"}').toString('base64')}`,
    ];

    // Act
    const peeked = messages.map(peekEventType);

    // Assess
    expect(peeked).toEqual(['message.new', 'message.new', 'message.new']);
  });

  it('gives up, so that the whole message is decoded, when the type is not plainly first', () => {
    // Prepare
    const cases = [
      '{"cid":"x","type":"message.new"}',
      '{"type":"message\\u002enew"}',
      '{"\\u0074ype":"message.new"}',
      '{"type":42}',
      '{"type":"message new"}',
      '{"type":""}',
      'null',
      '%%%',
      '',
      Buffer.from('{"cid":"x","type":"message.new"}').toString('base64'),
      gzipSync('{"cid":"x","type":"message.new"}').toString('base64'),
    ];

    // Act
    const peeked = cases.map(peekEventType);

    // Assess
    expect(peeked).toEqual(cases.map(() => undefined));
  });

  it('reads a 200 KB gzip message from its first 256 characters only', () => {
    // Prepare: everything after the first 256 characters is corrupted.
    const message = encodeMessage(`{"type":"channel.updated","pad":"${'z'.repeat(200_000)}"}`, MessageEncoding.Base64Gzip);
    const corrupted = message.slice(0, 256) + '#'.repeat(message.length - 256);

    // Act
    const type = peekEventType(corrupted);

    // Assess
    expect(type).toBe('channel.updated');
  });
});

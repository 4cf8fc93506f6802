/** What `npm run replay` delivers for a file: the file's bytes, wrapped and encoded, never re-serialized. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { readDeliveries } from '../../emulator/index.js';
import { MessageEncoding } from '../../shared/types.js';

const folder = mkdtempSync(join(tmpdir(), 'replay-deliveries-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The text the function receives as the SNS message, decoded from its encoding. */
function decodedMessage(lambdaEvent: string, encoding: MessageEncoding): string {
  const message = JSON.parse(lambdaEvent).Records[0].Sns.Message as string;
  if (encoding === MessageEncoding.RawJson) return message;
  const bytes = Buffer.from(message, 'base64');
  return (encoding === MessageEncoding.Base64Gzip ? gunzipSync(bytes) : bytes).toString('utf8');
}

describe('readDeliveries', () => {
  test.prop([
    fc.constantFrom(...Object.values(MessageEncoding)),
    fc.oneof(
      fc.constant('{"type":"message.new","type":"reaction.new","n":1.50}\n'),
      fc.json().filter((text) => !text.includes('Records')),
      fc.string().filter((text) => !text.includes('Records')),
    ),
  ])('delivers a bare event file byte for byte (duplicate keys, spacing, number spelling kept)', (encoding, text) => {
    // Prepare
    const file = join(folder, 'event.json');
    writeFileSync(file, text);

    // Act
    const [delivery] = readDeliveries([file], encoding);

    // Assess
    expect(decodedMessage(delivery!.lambdaEvent, encoding)).toBe(text);
  });
});

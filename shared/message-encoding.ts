/**
 * The three encodings of Stream's SNS message (see {@link MessageEncoding}), and how the JSON text is taken out of
 * each.
 *
 * The encoding is decided by what the bytes are, never by guessing: a message that starts with `{` is JSON (`{` is
 * not a base64 character); anything else must be strict base64, whose bytes are gzip when they start with 1f 8b,
 * and JSON otherwise. Whitespace and a byte-order mark around the message or the decoded text are ignored.
 */
import { gunzipSync } from 'node:zlib';
import { DECODE_LIMITS } from './decode-limits.js';
import { PoisonDeliveryError, RejectionReason } from './errors.js';
import { MessageEncoding } from './types.js';

/** Base64 as RFC 4648 writes it: the standard alphabet, padding only at the end, no line breaks. */
export const STRICT_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** The first two bytes of every gzip stream. */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Whether decoded bytes are gzip: they start with its two magic bytes (the decoder and the peek decide alike). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

// `ignoreBOM: false` (the default) drops a leading byte-order mark, as `trim()` does for raw JSON.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns an SNS message into the JSON text of the Stream event, whatever its encoding.
 *
 * @throws PoisonDeliveryError when the message is over SNS's size, not decodable, or inflates past the limit.
 */
export function decodeMessageText(message: string): { text: string; encoding: MessageEncoding } {
  // SNS counts UTF-8 bytes, not characters. Counting them is one pass over the message, as decoding it is.
  const messageBytes = Buffer.byteLength(message, 'utf8');
  if (messageBytes > DECODE_LIMITS.maxMessageBytes) {
    throw new PoisonDeliveryError(
      RejectionReason.MessageTooLarge,
      `the message has ${messageBytes} bytes of UTF-8; SNS carries at most ${DECODE_LIMITS.maxMessageBytes}`,
    );
  }
  const trimmed = message.trim();
  if (trimmed.startsWith('{')) {
    return { text: trimmed, encoding: MessageEncoding.RawJson };
  }
  if (trimmed.length % 4 !== 0 || !STRICT_BASE64.test(trimmed)) {
    throw rawJsonRejection(trimmed) ?? new PoisonDeliveryError(RejectionReason.BadBase64, 'the message is neither JSON nor valid base64');
  }
  const bytes = Buffer.from(trimmed, 'base64');
  if (isGzip(bytes)) {
    return { text: toUtf8(inflate(bytes)).trim(), encoding: MessageEncoding.Base64Gzip };
  }
  try {
    return { text: toUtf8(bytes).trim(), encoding: MessageEncoding.Base64Json };
  } catch (error) {
    // Short JSON such as `null` is also valid base64: judge it as the JSON it is.
    throw rawJsonRejection(trimmed) ?? error;
  }
}

function inflate(bytes: Buffer): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: DECODE_LIMITS.maxInflatedBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PoisonDeliveryError(
        RejectionReason.InflatedTooLarge,
        `the gzip payload inflates past ${DECODE_LIMITS.maxInflatedBytes} bytes`,
        { cause: error },
      );
    }
    throw new PoisonDeliveryError(RejectionReason.BadGzip, (error as Error).message, { cause: error });
  }
}

function toUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new PoisonDeliveryError(RejectionReason.InvalidUtf8, 'the decoded bytes are not valid UTF-8', {
      cause: error,
    });
  }
}

/** The rejection for a message that is JSON but not an object, or undefined when it is not JSON at all. */
function rawJsonRejection(message: string): PoisonDeliveryError | undefined {
  try {
    const value: unknown = JSON.parse(message);
    return new PoisonDeliveryError(RejectionReason.NotAnObject, `the JSON is ${describeJson(value)}, not an object`);
  } catch {
    return undefined;
  }
}

/** How a JSON value is named in a rejection: `null`, `an array`, `a string`... */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

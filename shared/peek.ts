/**
 * The peek: the event type read from the first bytes of an SNS message, without decoding the rest.
 *
 * Stream writes `type` as the first key of every event. Four functions out of five drop each event, and the peek
 * lets them drop it after reading a few hundred bytes instead of inflating and parsing all of it. For gzip, only
 * the first {@link PEEK_BASE64_CHARACTERS} characters are decoded and inflated.
 *
 * The peek is only a shortcut to the ownership rule (shared/ownership.ts): what it reads is the JSON's first
 * top-level `type` member, the one the decoder's pre-scan (shared/json-shape.ts) finds in the whole text, so it may
 * shorten the way to a verdict, never change it. When it cannot read the member plainly, it answers nothing and the
 * whole message is decoded. Its `\s` is JavaScript's, and the pre-scan reads whitespace around a key the same way.
 */
import { constants, gunzipSync } from 'node:zlib';
import { isGzip, STRICT_BASE64 } from './message-encoding.js';

/**
 * How much of a base64 message the peek decodes: 192 bytes, enough for the first key as Stream writes it in any
 * encoding. A gzip header with optional fields (a file name, extra data) can hide it: all five functions then
 * decode the whole message, which changes the cost, never the owner.
 */
const PEEK_BASE64_CHARACTERS = 256;
const PEEKED_TEXT_CHARACTERS = 512;
const PEEKED_TYPE = /^\s*\{\s*"type"\s*:\s*"([A-Za-z0-9_.:-]{1,200})"/;

/**
 * The event type that the message's first key plainly names: `{"type":"<letters, digits, _ . : ->"` after
 * optional whitespace, in raw JSON, base64 of JSON or base64 of gzip. Undefined whenever it is not plainly there
 * (another key first, an escaped key, other characters in the type, bytes that do not decode). Never throws.
 */
export function peekEventType(message: string): string | undefined {
  try {
    const start = message.trimStart();
    if (start.startsWith('{')) return PEEKED_TYPE.exec(start.slice(0, PEEKED_TEXT_CHARACTERS))?.[1];
    const head = start.slice(0, PEEK_BASE64_CHARACTERS);
    if (!STRICT_BASE64.test(head)) return undefined;
    const bytes = Buffer.from(head.slice(0, head.length - (head.length % 4)), 'base64');
    const prefix = isGzip(bytes)
      ? gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 1024, maxOutputLength: 256 * 1024 })
      : bytes;
    return PEEKED_TYPE.exec(prefix.toString('utf8', 0, PEEKED_TEXT_CHARACTERS))?.[1];
  } catch {
    return undefined;
  }
}

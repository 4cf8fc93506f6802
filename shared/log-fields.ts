/**
 * Log fields whose value comes from the event (its type, cid, the SNS MessageId), capped.
 *
 * The event logger appends them to every line of an invocation, and a custom event type or a MessageId that did
 * not come through SNS can be thousands of characters: uncapped, one hostile event would multiply the log bill by
 * its size on every line. A capped value keeps its first {@link LOG_FIELD_CHARACTERS} characters and a short hash of
 * the whole, so that two lines about the same long value can still be matched.
 */
import { createHash } from 'node:crypto';

/** How many characters of a long value a log field keeps. */
export const LOG_FIELD_CHARACTERS = 200;
/** How many hex digits of the value's SHA-256 a capped field ends with: enough to tell values apart by eye. */
const HASH_DIGITS = 12;

/**
 * `value` itself when it has at most {@link LOG_FIELD_CHARACTERS} characters; else its head, `…`, its length and
 * the first hex digits of its SHA-256: `<head>…(5000 characters, sha256 3f2a9c81b07d)`. The head never ends halfway
 * through a surrogate pair.
 */
export function logField(value: string): string {
  if (value.length <= LOG_FIELD_CHARACTERS) return value;
  const cut = isHighSurrogate(value.charCodeAt(LOG_FIELD_CHARACTERS - 1)) ? LOG_FIELD_CHARACTERS - 1 : LOG_FIELD_CHARACTERS;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, HASH_DIGITS);
  return `${value.slice(0, cut)}…(${value.length} characters, sha256 ${hash})`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

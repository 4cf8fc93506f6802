/**
 * The key of a Stream event: what makes two deliveries "the same event" for the idempotency step.
 *
 * Stream events carry no id, and SNS's MessageId changes when a message is published again, so the key is the
 * SHA-256 of the event's canonical JSON (RFC 8785, JSON Canonicalization Scheme, by the `canonicalize` package):
 * keys sorted, no whitespace, one way to write each string and number. Every serialization of one event is then
 * one key: any of the three encodings, whitespace or a BOM around it, another key order, indentation (`jq .`),
 * `\u00e9` for `é`. Two events that differ anywhere, by one character or one key, have two keys.
 *
 * Limitations, and why:
 * - Numbers compare as JSON.parse reads them, IEEE doubles, and as RFC 8785 writes them: `1.0` and `1` are one
 *   value, so are `-0` and `0`, two integers above 2^53 that round to the same double, and two numbers past the
 *   double range (`1e400` and `1e500` both read as infinity). Stream's integer fields (nanosecond timestamps)
 *   differ from event to event by far more than that rounding.
 * - A key that appears twice in one object counts once, with its last value, as JSON.parse keeps it.
 * - RFC 8785 refuses two things JSON.parse can produce: strings with unpaired UTF-16 surrogates (`"\ud800"`,
 *   valid JSON, impossible in UTF-8) and infinite numbers. Such an event is keyed in a separate domain: every
 *   string, keys included, is escaped one-to-one with U+FFFF as the escape character (U+FFFF itself doubled, an
 *   unpaired surrogate as U+FFFF and its four hex digits), and an infinite number becomes a string that no escaped
 *   string can equal (U+FFFF then `Infinity` or `-Infinity`). Distinct events still get distinct keys, and the
 *   escaping costs one native regular-expression pass per string.
 *
 * The key is versioned ({@link EVENT_KEY_VERSION}): a change to how it is derived changes every key, and the
 * version in the record's id keeps records of one derivation from being read as the other.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * The version of the idempotency record's id, the prefix of every record (shared/idempotency.ts). Version 1 hashed
 * the decoded JSON text as it arrived; version 2 hashes its RFC 8785 canonical form, under `<category>#v2`; version
 * 3 hashes the same, and its id no longer names the category (`v3#<hash>`), so that a type that moves to another
 * category is still one event to the old and the new owner.
 */
export const EVENT_KEY_VERSION = 'v3' as const;

/**
 * The version before: `<category>#v2#<hash>`, the same hash under the category's name. Read, never written, for one
 * record lifetime after upgrading (shared/idempotency.ts, "legacy lookup").
 */
export const LEGACY_KEY_VERSION = 'v2' as const;

const ESCAPED_DOMAIN = 'escaped-for-rfc8785\n';
const ESCAPE = '\uffff';
const NEEDS_ESCAPE = /\uffff|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The key of a decoded Stream event: base64url SHA-256 of its canonical JSON. */
export function eventKey(event: object): string {
  return createHash('sha256').update(canonicalJson(event)).digest('base64url');
}

/**
 * The RFC 8785 canonical JSON of a parsed JSON value, or, for a value RFC 8785 refuses, the escaped domain's form
 * (see the file's opening comment): two values have the same form exactly when they are the same JSON value.
 */
export function canonicalJson(value: unknown): string {
  try {
    // canonicalize returns undefined only for undefined, and a parsed JSON value is never undefined.
    return canonicalize(value) as string;
  } catch {
    // canonicalize refuses unpaired surrogates and infinite numbers; the escaped domain has neither. Anything
    // else it refuses is thrown again from here, and the invocation fails for a retry.
    return ESCAPED_DOMAIN + (canonicalize(escapeForRfc8785(value)) as string);
  }
}

/** A copy of a parsed JSON value that RFC 8785 can write, one-to-one (see the file's opening comment). */
function escapeForRfc8785(value: unknown): unknown {
  if (typeof value === 'string') return escapeString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : `${ESCAPE}${value}`;
  if (Array.isArray(value)) return value.map(escapeForRfc8785);
  if (value === null || typeof value !== 'object') return value;
  const escaped: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    Object.defineProperty(escaped, escapeString(key), { value: escapeForRfc8785(member), enumerable: true });
  }
  return escaped;
}

function escapeString(text: string): string {
  return text.replace(NEEDS_ESCAPE, (character) =>
    character === ESCAPE ? ESCAPE + ESCAPE : ESCAPE + character.charCodeAt(0).toString(16),
  );
}

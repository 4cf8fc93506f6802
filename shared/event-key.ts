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
 * - Numbers compare as JSON.parse reads them, IEEE doubles (as RFC 8785 defines them): `1.0` and `1` are one
 *   value, and two integers above 2^53 that round to the same double are one value. Stream's integer fields
 *   (nanosecond timestamps) differ from event to event by far more than that rounding.
 * - A key that appears twice in one object counts once, with its last value, as JSON.parse keeps it.
 * - RFC 8785 refuses strings with unpaired UTF-16 surrogates (`"\ud800"`, valid JSON, impossible in UTF-8).
 *   Such an event is keyed in a separate domain: its strings are escaped one-to-one (`\` as `\\`, an unpaired
 *   surrogate as `\uXXXX`) before canonicalization, so distinct events still get distinct keys.
 *
 * The key is versioned ({@link EVENT_KEY_VERSION}): a change to how it is derived changes every key, and the
 * version in the record's id keeps records of one derivation from being read as the other.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * The version of the key's derivation, part of every idempotency record's id. Version 1 hashed the decoded JSON
 * text as it arrived; version 2 hashes its RFC 8785 canonical form.
 */
export const EVENT_KEY_VERSION = 'v2' as const;

const UNPAIRED_SURROGATES_DOMAIN = 'unpaired-surrogates\n';
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The key of a decoded Stream event: base64url SHA-256 of its canonical JSON. */
export function eventKey(event: object): string {
  const hash = createHash('sha256');
  try {
    hash.update(canonicalize(event) ?? '');
  } catch {
    // Only unpaired surrogates make canonicalize throw on a parsed JSON value (no NaN, no cycles, no functions).
    hash.update(UNPAIRED_SURROGATES_DOMAIN).update(canonicalize(escapeUnpairedSurrogates(event)) ?? '');
  }
  return hash.digest('base64url');
}

/** A copy of a JSON value whose every string, keys included, is escaped one-to-one into well-formed UTF-16. */
function escapeUnpairedSurrogates(value: unknown): unknown {
  if (typeof value === 'string') return escapeString(value);
  if (Array.isArray(value)) return value.map(escapeUnpairedSurrogates);
  if (value === null || typeof value !== 'object') return value;
  const escaped: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    Object.defineProperty(escaped, escapeString(key), { value: escapeUnpairedSurrogates(member), enumerable: true });
  }
  return escaped;
}

function escapeString(text: string): string {
  return text
    .replaceAll('\\', '\\\\')
    .replace(UNPAIRED_SURROGATE, (surrogate) => `\\u${surrogate.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

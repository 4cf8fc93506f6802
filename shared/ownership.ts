/**
 * Ownership: which category's function owns a delivery.
 *
 * Every function receives every delivery and none of them talks to another, so each must reach the same verdict
 * from the same bytes: a delivery that every function skips is lost without a trace, one that two functions own
 * runs twice. The verdict is therefore one pure function of the Lambda event, decided here and nowhere else.
 *
 * The rule: **a delivery belongs to the category of its JSON's first top-level `type` member** (document order,
 * after unescaping: `"\u0074ype"` is `type`), when that member's value is a string (shared/catalog.ts: unknown,
 * custom and empty types belong to `other`); **else to `other`**: no such member, a value that is not a string, no
 * JSON object at all. Whatever else is wrong with the document does not move it: the owner keeps it as rejected
 * (a later `type` member with another value: `conflicting_type`; too deep, invalid JSON...), the other four skip.
 *
 * Two readings, one verdict:
 * - The peek (shared/peek.ts) reads the first member when the message plainly starts with it (`{"type":"..."`,
 *   within its first few hundred bytes). It is only a shortcut: it names the same first member that the decoder
 *   would find, so four functions drop the delivery without decoding it.
 * - Otherwise the whole delivery is decoded, and the decoder's pre-scan (shared/json-shape.ts) finds the first
 *   `type` member itself, past any whitespace, escape, gzip header or limit, and the verdict is the same.
 * The one place where layout still matters: when the decoder gets no JSON text at all (a message over 256 KiB, not
 * base64, gzip that does not inflate or inflates past 4 MiB, bytes that are not UTF-8), only the peek can have read
 * the first member, so such a delivery belongs to what the peek read, else to `other`. It is rejected either way.
 *
 * An error that is not poison (a bug, memory) fails the invocation in `other` alone, so that Lambda retries it once
 * rather than five times. test/property/ holds the rule to all of this with generated deliveries and layouts.
 */
import { Category as Categories, type Category, categoryOf } from './catalog.js';
import { decodeSnsDelivery, snsMessageOf } from './decoder.js';
import { PoisonDeliveryError } from './errors.js';
import { peekEventType } from './peek.js';
import type { StreamDelivery } from './types.js';

/** The verdict on one delivery, and what was learnt reaching it. */
export type Ownership =
  /** The peek read the first member; nothing else was decoded. */
  | { owner: Category; basis: 'peeked'; type: string }
  /** The whole delivery decoded to a Stream event. */
  | { owner: Category; basis: 'decoded'; delivery: StreamDelivery }
  /** Decoding failed: a PoisonDeliveryError (owned by its first type's category) or anything else (`other`). */
  | { owner: Category; basis: 'undecodable'; type: string | undefined; failure: unknown };

/** Decides who owns a delivery. Pure: the same Lambda event gives the same verdict in every function. */
export function ownerOf(lambdaEvent: unknown): Ownership {
  const message = snsMessageOf(lambdaEvent);
  const peeked = message === undefined ? undefined : peekEventType(message);
  if (peeked !== undefined) return { owner: categoryOf(peeked), basis: 'peeked', type: peeked };
  try {
    const delivery = decodeSnsDelivery(lambdaEvent);
    return { owner: categoryOf(delivery.event.type), basis: 'decoded', delivery };
  } catch (failure) {
    const type = failure instanceof PoisonDeliveryError ? failure.firstType : undefined;
    return { owner: type === undefined ? Categories.other : categoryOf(type), basis: 'undecodable', type, failure };
  }
}

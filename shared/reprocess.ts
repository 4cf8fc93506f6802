/**
 * A reprocess request: what `npm run reprocess` adds beside `Records` in the asynchronous invocation it sends,
 * `{ "Records": [ <the SNS record> ], "streamReprocess": { "label"?: string } }`.
 *
 * SNS never sends `streamReprocess`, so its presence says the event is being reprocessed from the archive: its age
 * is counted as `ReplayedEventAge`, not `EventAge` (shared/observability.ts), so that a reprocess run moves no
 * alarm. A `label` (only with `--force <label>`) runs the event once more under a key namespace of its own
 * (shared/idempotency.ts keyPrefixOf); without one, the event runs only if it never ran.
 *
 * Limitation: anyone who may invoke the function directly can send the member; they could as well send any event.
 */
import { PoisonDeliveryError, RejectionReason } from './errors.js';

/** A label: 1 to 64 of `[A-Za-z0-9._-]`, as it goes into the record id, so that it cannot reach another's namespace. */
export const REPROCESS_LABEL = /^[A-Za-z0-9._-]{1,64}$/;

/** The member's name in the invocation's payload. */
export const REPROCESS_MEMBER = 'streamReprocess' as const;

/** A reprocess request, as the function reads it. */
export interface ReprocessRequest {
  /** The `--force` label: run once more under its namespace. Undefined: run only if never run. */
  label: string | undefined;
}

/**
 * The reprocess request of a Lambda event: undefined when it has no `streamReprocess` member (every SNS delivery).
 *
 * @throws PoisonDeliveryError `invalid_reprocess_label` when the member is not an object, or its `label` is present
 *   and not a string of 1-64 characters of `[A-Za-z0-9._-]`: its namespace cannot be told, so it runs under none.
 */
export function readReprocessRequest(lambdaEvent: unknown): ReprocessRequest | undefined {
  if (typeof lambdaEvent !== 'object' || lambdaEvent === null || !Object.hasOwn(lambdaEvent, REPROCESS_MEMBER)) return undefined;
  const member: unknown = (lambdaEvent as Record<string, unknown>)[REPROCESS_MEMBER];
  if (typeof member !== 'object' || member === null || Array.isArray(member)) {
    throw invalid(
      `"${REPROCESS_MEMBER}" must be an object, found ${member === null ? 'null' : Array.isArray(member) ? 'an array' : typeof member}`,
    );
  }
  if (!Object.hasOwn(member, 'label')) return { label: undefined };
  const label: unknown = (member as Record<string, unknown>).label;
  if (typeof label !== 'string' || !REPROCESS_LABEL.test(label)) {
    const shown = typeof label === 'string' ? JSON.stringify(label.slice(0, 80)) : label === null ? 'null' : typeof label;
    throw invalid(`the reprocess label must be 1-64 characters of A-Z, a-z, 0-9, ".", "_" and "-", found ${shown}`);
  }
  return { label };
}

function invalid(detail: string): PoisonDeliveryError {
  return new PoisonDeliveryError(RejectionReason.InvalidReprocessLabel, detail);
}

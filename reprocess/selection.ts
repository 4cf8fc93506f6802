/**
 * Which archived events a reprocess sends: those in the time range (their SNS `Timestamp`), of the types and
 * category asked for; and, without `--force`, only those young enough that their idempotency record, if the event
 * ran, still exists. An older one is refused: whether it ran can no longer be told, so sending it could run it twice.
 *
 * Why the SNS `Timestamp` for the age: a function writes its record when it runs, at or after that time, and the
 * record lives {@link RECORD_LIFETIME_DAYS} days from then; an event younger than that, counted from `Timestamp`,
 * has its record still, if it ran. The check errs on the side of refusing.
 */
import type { Category } from '../shared/catalog.js';
import { RECORD_LIFETIME_DAYS } from '../shared/record-lifetime.js';
import type { ArchivedEvent } from './archive-records.js';

/** What to select. */
export interface Selection {
  /** Events published at or after this time. */
  since: Date | undefined;
  /** Events published before this time. */
  until: Date | undefined;
  /** Only these types (empty: every type). */
  types: readonly string[];
  /** Only this category's events. */
  category: Category | undefined;
  /** `--force`: old events are sent too, under a namespace of their own. */
  force: boolean;
  /** Now, for the age check. */
  now: Date;
}

/** An event not sent, and why. */
export interface RefusedEvent {
  source: string;
  type: string;
  reason: string;
}

/** The outcome of {@link selectEvents}. */
export interface Selected {
  selected: ArchivedEvent[];
  /** Outside the range, types or category asked for. */
  notSelected: number;
  /** Too old to tell whether it ran (without `--force` only). */
  refused: RefusedEvent[];
}

const DAY_MS = 86_400_000;

/** Splits archived events into those to send, those not asked for, and those refused. */
export function selectEvents(events: readonly ArchivedEvent[], selection: Selection): Selected {
  const oldest = selection.now.getTime() - RECORD_LIFETIME_DAYS * DAY_MS;
  const result: Selected = { selected: [], notSelected: 0, refused: [] };
  for (const event of events) {
    const at = event.publishedAt.getTime();
    const wanted =
      (selection.since === undefined || at >= selection.since.getTime()) &&
      (selection.until === undefined || at < selection.until.getTime()) &&
      (selection.types.length === 0 || selection.types.includes(event.type)) &&
      (selection.category === undefined || event.category === selection.category);
    if (!wanted) result.notSelected += 1;
    else if (!selection.force && at < oldest)
      result.refused.push({
        source: event.source,
        type: event.type,
        reason: `published ${event.notification.Timestamp}, more than the idempotency records' lifetime (${RECORD_LIFETIME_DAYS} days) ago: whether it ran can no longer be told; --force <label> runs it again`,
      });
    else result.selected.push(event);
  }
  return result;
}

/**
 * How long an event is remembered as done (the idempotency records' lifetime), in days: shared/idempotency.ts
 * expires its records after it, and the template's archive keeps events as long by default (param `archiveDays`),
 * so that the archive never holds an event whose run can no longer be checked. A file of its own so that the
 * template reads it without loading the idempotency layer.
 *
 * Why 25: duplicates arrive within Lambda's 6-hour retry window for a failed asynchronous event, and SNS keeps
 * retrying a Lambda it cannot reach for about 23 days: 25 days covers both.
 */
export const RECORD_LIFETIME_DAYS = 25;

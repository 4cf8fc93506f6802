import { RECORD_LIFETIME_DAYS } from '../shared/record-lifetime.js';

/** The settings of `npm run bench`: how much work each figure does, the mix of event types, and the prices its cost figure uses. */

/** How much work each figure does. */
export const SIZES = {
  latencyEvents: 500,
  throughputEvents: 2_000,
  throughputRounds: 3,
  concurrency: 32,
  coldImportRuns: 15,
  /** Events of {@link EVENT_MIX} delivered through the local stack in each routing mode (a multiple of 100: the mix exactly). */
  routingEvents: 400,
} as const;

/**
 * A realistic mix of Stream event types, in percent, for the routing figure (invocations and cost per event depend
 * on which categories the events belong to). Chosen from how a chat app's traffic is made, not measured on one:
 * messages and their read receipts dominate (every message is read by most members, and `message.read` is sent
 * per reader), reactions and edits follow; membership and channel changes come with channel activity; user updates
 * (presence is not sent to hooks) and unread reminders are fewer; moderation is rare; `other` holds reminders and
 * the app's own custom events. Change it to your app's mix: the invocations per event of each mode follow from the
 * categories' shares (a named category's event 2 per-category, `other`'s 1).
 */
export const EVENT_MIX = {
  'message.new': 35,
  'message.read': 25,
  'reaction.new': 8,
  'message.updated': 4,
  'message.deleted': 2,
  'notification.mark_unread': 1,
  'member.added': 4,
  'channel.updated': 3,
  'channel.created': 2,
  'channel.truncated': 1,
  'user.updated': 5,
  'user.unread_message_reminder': 2,
  'message.flagged': 1,
  'user.banned': 1,
  'review_queue_item.new': 1,
  'reminder.created': 1,
  'notification.reminder_due': 1,
  /** A custom event (`channel.sendEvent`): a type the catalog does not know, so `other`'s. */
  'app.custom_event': 3,
} as const;

/**
 * List prices used for the cost figure (us-east-1, arm64, on-demand). Lambda, DynamoDB, SNS, Logs and SQS as
 * published by AWS in 2026; Firehose, S3 and the dashboard as docs/costs.md gives them, consulted on
 * {@link PRICES_CONSULTED}. Check them against AWS's pricing pages before you rely on them.
 */
export const PRICES = {
  lambdaPerMillionRequests: 0.2,
  lambdaPerGbSecondArm: 0.0000133334,
  lambdaMemoryGb: 0.25,
  dynamoDbPerMillionWriteUnits: 0.625,
  dynamoDbPerMillionReadUnits: 0.125,
  snsPerMillionPublishes: 0.5,
  logsPerGbIngested: 0.5,
  sqsPerMillionRequests: 0.4,
  /** Amazon Data Firehose, Direct PUT ingestion, first 500 TB a month; each record billed rounded up to 5 KB. */
  firehosePerGbIngested: 0.029,
  firehoseRecordBytes: 5_120,
  s3PerGbMonth: 0.023,
  /** CloudWatch, per dashboard a month beyond the free tier's 3 (of up to 50 metrics each). */
  dashboardPerMonth: 3,
} as const;

/** When the Firehose, S3 and dashboard prices were consulted (docs/costs.md). */
export const PRICES_CONSULTED = '2026-12-07';

/** How long the archive keeps an event (param archiveDays, default the idempotency records' lifetime), in months of 30.44 days. */
export const ARCHIVE_MONTHS = RECORD_LIFETIME_DAYS / 30.44;

/**
 * Logs and metrics: one Powertools Logger and one Metrics instance per function module, built once at cold start
 * and reused by every invocation.
 *
 * Logs are JSON lines. Every line of an invocation carries its request id and cold-start flag; an event's lines
 * also carry its type, category, cid and SNS MessageId (see {@link eventLogger}). Metrics are CloudWatch embedded-metric-format lines in the same log
 * stream: no PutMetricData call, no extra IAM right, no extra latency.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Category } from './catalog.js';
import { logField } from './log-fields.js';
import type { StreamDelivery } from './types.js';
import { Outcome } from './types.js';

const SERVICE_NAME = process.env.POWERTOOLS_SERVICE_NAME ?? 'stream-chat-events';

/** The module's logger. Level from POWERTOOLS_LOG_LEVEL (serverless.yml sets INFO). */
export const logger = new Logger({ serviceName: SERVICE_NAME });

/** The module's metrics, namespace from POWERTOOLS_METRICS_NAMESPACE. */
export const metrics = new Metrics({
  serviceName: SERVICE_NAME,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'StreamChatEvents',
});

/** The metric each outcome is counted under, with a `category` dimension. */
const OUTCOME_METRIC = {
  [Outcome.Processed]: 'ProcessedEvents',
  [Outcome.Duplicate]: 'DuplicateEvents',
  [Outcome.Skipped]: 'SkippedEvents',
  [Outcome.Rejected]: 'RejectedEvents',
} as const satisfies Record<Outcome, string>;

/**
 * A concurrent duplicate: the same event was already running in another invocation, so this one failed for a
 * retry. Counted apart from failures: it is expected under SNS's at-least-once delivery, and harmless.
 */
const CONCURRENT_DUPLICATE_METRIC = 'ConcurrentDuplicateEvents';

/**
 * How long skipped (foreign) events are counted in memory before they are written as one metric line.
 *
 * Every function receives every event, so four invocations out of five are skips: one metric line each would
 * multiply log volume and cost for a figure an operator reads per minute at best. The count of a container that
 * is recycled before its next flush is lost; skips are informational, nothing is lost with them.
 */
const SKIPPED_FLUSH_INTERVAL_MS = 60_000;

// Cross-invocation aggregation is the one piece of module state here, on purpose (see SKIPPED_FLUSH_INTERVAL_MS).
const pendingSkips = new Map<Category, number>();
let lastSkipFlush = Date.now();

/**
 * Milliseconds from the event's `created_at` to now: what shows a backlog, throttling or a delay at Stream. The
 * alarm reads it. Never a gate: an event without a readable `created_at` is processed and simply not measured.
 */
const EVENT_AGE_METRIC = 'EventAge';

/** The same for an event sent again by `npm run reprocess` (shared/reprocess.ts), old by nature: no alarm reads it. */
const REPLAYED_EVENT_AGE_METRIC = 'ReplayedEventAge';

/** An owned event whose invocation failed for a retry; written before the failure is thrown. */
const FAILED_METRIC = 'FailedEvents';

/** The age of one owned event, as {@link eventAge} measures it. */
export interface EventAge {
  ms: number;
  /** Reprocessed: counted as {@link REPLAYED_EVENT_AGE_METRIC}. */
  replayed: boolean;
}

/**
 * The age of an event created at `createdAt`, now; undefined when `createdAt` could not be read (shared/created-at.ts).
 * An event stamped ahead of this clock (Stream's clock ahead of Lambda's) has a negative age, written as it is.
 */
export function eventAge(createdAt: Date | undefined, replayed: boolean): EventAge | undefined {
  return createdAt === undefined ? undefined : { ms: Date.now() - createdAt.getTime(), replayed };
}

/**
 * Counts one invocation's outcome. Skips are aggregated; every other outcome is written at once, in one line with
 * the event's age when there is one.
 */
export function countOutcome(category: Category, outcome: Outcome, age?: EventAge): void {
  if (outcome === Outcome.Skipped) {
    pendingSkips.set(category, (pendingSkips.get(category) ?? 0) + 1);
    if (Date.now() - lastSkipFlush >= SKIPPED_FLUSH_INTERVAL_MS) flushSkippedCounts();
    return;
  }
  writeCount(category, OUTCOME_METRIC[outcome], 1, age);
  if (pendingSkips.size > 0 && Date.now() - lastSkipFlush >= SKIPPED_FLUSH_INTERVAL_MS) flushSkippedCounts();
}

/** Counts one concurrent duplicate (see {@link CONCURRENT_DUPLICATE_METRIC}). */
export function countConcurrentDuplicate(category: Category): void {
  writeCount(category, CONCURRENT_DUPLICATE_METRIC, 1);
}

/** Counts one owned event whose invocation fails for a retry, with its age; call it before throwing. */
export function countFailure(category: Category, age?: EventAge): void {
  writeCount(category, FAILED_METRIC, 1, age);
}

/** Writes the skipped counts gathered so far (also called by tests and the local run before they report). */
export function flushSkippedCounts(): void {
  for (const [category, count] of pendingSkips) writeCount(category, OUTCOME_METRIC[Outcome.Skipped], count);
  pendingSkips.clear();
  lastSkipFlush = Date.now();
}

function writeCount(category: Category, name: string, count: number, age?: EventAge): void {
  // One synchronous add-and-publish on the module's instance: nothing can interleave between the calls, and
  // it costs a fraction of a `singleMetric()` instance per event.
  metrics.addDimension('category', category);
  metrics.addMetric(name, MetricUnit.Count, count);
  if (age !== undefined) metrics.addMetric(age.replayed ? REPLAYED_EVENT_AGE_METRIC : EVENT_AGE_METRIC, MetricUnit.Milliseconds, age.ms);
  metrics.publishStoredMetrics();
}

/**
 * The logger for one event: the module's logger, with the event's type, category, cid (where present) and SNS
 * MessageId (each capped: shared/log-fields.ts) appended as temporary keys until the next invocation resets them (see `lambdaContextInLogs` in
 * shared/middleware.ts). Not a child logger: a child computes its own cold-start flag and would report every
 * invocation as a cold start. Temporary keys are per invocation, also where Lambda runs several at once
 * (Powertools keeps them in the runtime's per-invocation store).
 */
export function eventLogger(category: Category, delivery: StreamDelivery): Logger {
  const { event, sns } = delivery;
  // Every line carries them, so each is capped (shared/log-fields.ts): a custom type can be thousands of characters.
  logger.appendKeys({
    category,
    eventType: logField(event.type),
    ...(typeof event.cid === 'string' ? { cid: logField(event.cid) } : {}),
    snsMessageId: logField(sns.messageId),
  });
  return logger;
}

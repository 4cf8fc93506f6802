/**
 * The scheduled sync's metric (per-category routing with `catchAll: false`): how many event types Stream lists that
 * the catalog does not give a category. The sync has added them to the events topic's hook, so their events reach
 * `other`; the alarm on this metric (template/setup-sync.ts, to the operator alarms topic) asks the operator to give
 * each a category in shared/catalog.ts.
 *
 * Why a metric and an alarm, not an SNS publish from the function: the alarm keeps firing while the types remain
 * (every hourly run emits the count again), needs no SNS right for the setup's role, and is quiet when no sync runs.
 *
 * Limitation: an event of a type Stream introduced after the last sync (at most an hour), or one it sends without
 * listing it, is not delivered at all: with a positive list, Stream never publishes it.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SetupReport } from './stream-hook.js';

/** The metric's name, in the functions' namespace (POWERTOOLS_METRICS_NAMESPACE), dimension `service`. */
export const SYNC_METRIC = 'UncategorisedStreamTypes' as const;

/** Emits {@link SYNC_METRIC} for a sync's report: the count of types Stream lists that the catalog lacks. */
export function emitSyncMetric(report: Pick<SetupReport, 'drift'>, metrics: Metrics = syncMetrics()): void {
  // An unread list counts as none found: the warning in the report says so, and an alarm cannot tell more.
  metrics.addMetric(SYNC_METRIC, MetricUnit.Count, report.drift?.streamOnly.length ?? 0);
  metrics.publishStoredMetrics();
}

function syncMetrics(): Metrics {
  return new Metrics({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'stream-chat-events',
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'StreamChatEvents',
  });
}

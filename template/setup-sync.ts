/**
 * The hourly sync of the setup, with `catchAll: false` in per-category mode only: a schedule that invokes the setup
 * function with `{"action":"sync"}`, and two alarms to the operator alarms topic: one on the metric each sync emits
 * (functions/setup/sync-metric.ts: the count of event types Stream lists that the catalog lacks), one on the setup
 * function's errors (a sync that failed, say on rotated Stream credentials, emits no metric at all, so the first
 * alarm alone would stay quiet while the hook falls behind). The events topic's
 * hook then lists types explicitly, so a type Stream adds later reaches no function until the sync adds it to that
 * hook; the alarm asks the operator to give it a category.
 *
 * Why hourly: Stream's list changes with its releases, rarely; an hour bounds what a new type can lose (its events
 * before the next sync are not delivered at all) at 720 small invocations a month. Why a one-hour alarm period: one
 * value arrives per hour, so a 5-minute period would fire and clear again every hour.
 *
 * Limitation: with the catch-all (the default) or with single-topic routing there is no schedule and no alarm: every
 * type already reaches `other`, and the setup's drift warnings say which ones the catalog lacks.
 */
import { SYNC_METRIC } from '../functions/setup/sync-metric.js';
import { RoutingMode } from '../shared/routing.js';
import { nameOf } from './category-parts.js';
import type { CloudWatchAlarm } from './cloudformation.js';
import { AwsMetric, lambdaMetric } from './metrics.js';
import { operatorAlarm } from './operator-alarm.js';
import type { Stack } from './stack.js';

/** How often the sync runs, and the alarm's period (seconds). */
export const SYNC_SCHEDULE = { rate: 'rate(1 hour)', periodSeconds: 3_600 } as const;

/** The logical id of the alarm on the sync's metric. */
export const SYNC_ALARM_ID = 'UncategorisedStreamTypesAlarm';

/** The logical id of the alarm on the setup function's errors. */
export const SYNC_FAILED_ALARM_ID = 'SetupSyncFailedAlarm';

/** Whether the stack syncs: per-category, `catchAll: false`, no narrowing (functions/setup/hook-plan.ts says the same). */
export function syncs(stack: Pick<Stack, 'routing'>): boolean {
  const { mode, catchAll, streamEventTypes } = stack.routing;
  return mode === RoutingMode.PerCategory && !catchAll && streamEventTypes.length === 0;
}

/** The setup function's `events`: the hourly schedule when the stack syncs, else none. */
export function setupSyncEvents(stack: Pick<Stack, 'routing'>): Array<{ schedule: { rate: string; input: { action: 'sync' } } }> {
  return syncs(stack) ? [{ schedule: { rate: SYNC_SCHEDULE.rate, input: { action: 'sync' } } }] : [];
}

/** The alarms on the sync's metric and on the setup function's errors, when the stack syncs. */
export function setupSyncAlarm(stack: Stack): Record<string, CloudWatchAlarm> {
  if (!syncs(stack)) return {};
  const alarm = operatorAlarm({
    name: `${stack.prefix}-uncategorised-stream-types`,
    description:
      "Stream lists event types the catalog does not have; the hourly sync added them to the events topic's hook, so they reach `other`. " +
      'Give each a category in shared/catalog.ts (docs/setup.md, catchAll false)',
    metric: {
      Namespace: stack.metrics.namespace,
      MetricName: SYNC_METRIC,
      Dimensions: [{ Name: 'service', Value: stack.metrics.service }],
    },
    statistic: 'Maximum',
  });
  // The setup function fails only when a sync or a direct invoke fails: a deploy's custom resource is answered FAILED,
  // not thrown. Missing data (no failure) is healthy.
  const failed = operatorAlarm({
    name: `${stack.prefix}-setup-sync-failed`,
    description:
      "The setup function failed, so the hourly sync no longer keeps the events topic's hook in step with Stream's event types. " +
      'Its log says why (docs/operate.md, the setup)',
    metric: lambdaMetric(nameOf.function(stack, 'setup'), AwsMetric.lambda.errors),
    statistic: 'Sum',
  });
  const hourly = (hourlyAlarm: CloudWatchAlarm): CloudWatchAlarm => ({
    ...hourlyAlarm,
    Properties: { ...hourlyAlarm.Properties, Period: SYNC_SCHEDULE.periodSeconds },
  });
  return { [SYNC_ALARM_ID]: hourly(alarm), [SYNC_FAILED_ALARM_ID]: hourly(failed) };
}

/**
 * The three alarms on each category's function, one builder each: its events arriving late (event age), Lambda
 * refusing to run it (throttles), and its invocations failing (error rate). All notify the operator alarms topic;
 * docs/operate.md says what each means and what to do.
 */

import { nameOf } from './category-parts.js';
import type { CloudWatchAlarm } from './cloudformation.js';
import { AwsMetric, EventMetric, eventMetric, lambdaMetric } from './metrics.js';
import { operatorAlarm, operatorRateAlarm } from './operator-alarm.js';
import type { Stack } from './stack.js';

/**
 * The error-rate alarm's threshold and length, and why a rate. A concurrent duplicate (SNS delivering one message
 * twice at the same moment) fails on purpose with EventInProgressError so that Lambda retries it once the first
 * run is done, and a DynamoDB blip fails a burst of invocations that Lambda's retries then complete: both are
 * errors, neither needs a person. An alarm on any single error would page for them; errors above 1 per 100
 * invocations for three 5-minute periods in a row is a failure that is neither rare nor brief (a handler bug, a
 * permission, the table down). Failures that outlast the retries page at once anyway, through the dead-letter
 * queue's alarm.
 *
 * Limitation: a function that also receives other categories' events (every function in single-topic mode, and
 * `other` on the events topic) counts their drops as invocations, so its rate is diluted by them; its dead-letter
 * queue alarm is the net that does not depend on volume.
 */
export const ERROR_RATE_ALARM = { thresholdPercent: 1, periods: 3 } as const;

/** The event-age alarm fires when p99 stays above the parameter's threshold this many periods in a row. */
export const EVENT_AGE_ALARM_PERIODS = 3;

/**
 * Fires when the category's live events are late: the p99 of EventAge (now minus the event's `created_at`) above
 * `eventAgeAlarmSeconds` for three 5-minute periods. ReplayedEventAge (reprocessed and redriven events, old by
 * nature) is a metric of its own and never moves this alarm.
 */
export function eventAgeAlarm(stack: Stack, category: string): CloudWatchAlarm {
  const seconds = stack.operate.eventAgeAlarmSeconds;
  return operatorAlarm({
    name: `${nameOf.function(stack, category)}-event-age`,
    description: `${category} events reach their function more than ${seconds} s after Stream created them (p99, 15 minutes): a backlog, throttling or a delay at Stream (docs/operate.md)`,
    metric: eventMetric(stack, category, EventMetric.Age),
    statistic: 'p99',
    // EventAge is in milliseconds.
    threshold: seconds * 1000,
    periods: EVENT_AGE_ALARM_PERIODS,
  });
}

/** Fires as soon as Lambda throttles one invocation of the category's function within 5 minutes. */
export function throttlesAlarm(stack: Stack, category: string): CloudWatchAlarm {
  const functionName = nameOf.function(stack, category);
  return operatorAlarm({
    name: `${functionName}-throttles`,
    description: `Lambda throttled the ${category} function: its events wait and age until concurrency frees up (docs/operate.md)`,
    metric: lambdaMetric(functionName, AwsMetric.lambda.throttles),
    statistic: 'Sum',
  });
}

/** Fires when more than 1 in 100 invocations of the category's function fail for 15 minutes ({@link ERROR_RATE_ALARM}). */
export function errorRateAlarm(stack: Stack, category: string): CloudWatchAlarm {
  const functionName = nameOf.function(stack, category);
  return operatorRateAlarm({
    name: `${functionName}-error-rate`,
    description: `More than ${ERROR_RATE_ALARM.thresholdPercent} in 100 invocations of the ${category} function failed, three 5-minute periods in a row (docs/operate.md)`,
    numerator: lambdaMetric(functionName, AwsMetric.lambda.errors),
    denominator: lambdaMetric(functionName, AwsMetric.lambda.invocations),
    label: 'errors per 100 invocations',
    ...ERROR_RATE_ALARM,
  });
}

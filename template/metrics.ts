/**
 * The metrics the dashboard shows and the alarms watch, named once: the functions' own (namespace and `service`
 * from serverless.yml's POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME, which shared/observability.ts
 * emits under, with a `category` dimension), and the ones AWS publishes for Lambda, SQS, SNS and Firehose.
 *
 * Limitation: a name here must match what the functions emit; test/template/operate.test.ts checks every name of
 * the functions' namespace against the metric names in shared/, so that a rename there fails the suite.
 */
import type { AlarmMetric } from './cloudformation.js';
import type { Stack } from './stack.js';

/** The functions' metrics, one time series per category (dimensions `service` and `category`). */
export const EventMetric = {
  /** An owned event the handler ran to the end. */
  Processed: 'ProcessedEvents',
  /** An owned event found done already (idempotency). */
  Duplicate: 'DuplicateEvents',
  /** Poison, or a misrouted type: kept in the rejected-deliveries queue, never retried. */
  Rejected: 'RejectedEvents',
  /** An invocation that failed for a retry (counted before the failure is thrown). */
  Failed: 'FailedEvents',
  /** Milliseconds from the event's `created_at` to its processing, for live deliveries: the alarm's metric. */
  Age: 'EventAge',
  /**
   * The same for a reprocessed or redriven event (old by nature): shown apart, and no alarm reads it, so that a
   * reprocess run never pages anyone.
   */
  ReplayedAge: 'ReplayedEventAge',
} as const;

/** AWS's own metrics that the dashboard and alarms read. */
export const AwsMetric = {
  lambda: { namespace: 'AWS/Lambda', invocations: 'Invocations', errors: 'Errors', throttles: 'Throttles', duration: 'Duration' },
  sqs: { namespace: 'AWS/SQS', visible: 'ApproximateNumberOfMessagesVisible', oldestAge: 'ApproximateAgeOfOldestMessage' },
  sns: { namespace: 'AWS/SNS', delivered: 'NumberOfNotificationsDelivered', failed: 'NumberOfNotificationsFailed' },
  firehose: {
    namespace: 'AWS/Firehose',
    incoming: 'IncomingRecords',
    throttled: 'ThrottledRecords',
    delivered: 'DeliveryToS3.Records',
    freshness: 'DeliveryToS3.DataFreshness',
  },
} as const;

/** One of the functions' metrics for a category. */
export function eventMetric(stack: Stack, category: string, metricName: string): AlarmMetric {
  return {
    Namespace: stack.metrics.namespace,
    MetricName: metricName,
    Dimensions: [
      { Name: 'service', Value: stack.metrics.service },
      { Name: 'category', Value: category },
    ],
  };
}

/** One of Lambda's metrics for a function, by its deployed name. */
export function lambdaMetric(functionName: string, metricName: string): AlarmMetric {
  return { Namespace: AwsMetric.lambda.namespace, MetricName: metricName, Dimensions: [{ Name: 'FunctionName', Value: functionName }] };
}

/** One of SQS's metrics for a queue, by its name. */
export function queueMetric(queueName: string, metricName: string): AlarmMetric {
  return { Namespace: AwsMetric.sqs.namespace, MetricName: metricName, Dimensions: [{ Name: 'QueueName', Value: queueName }] };
}

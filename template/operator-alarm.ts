/**
 * The one kind of alarm this template raises: as soon as a metric is above 0 within 5 minutes, to the operator
 * alarms topic (serverless.yml, OperatorAlarmsTopic), and quiet while the metric has no data.
 */
import { type CloudWatchAlarm, ref } from './cloudformation.js';

/** What an alarm watches, and what it tells the operator. */
export interface WatchedMetric {
  /** The alarm's name, unique in the account and region (it starts with the stack's prefix). */
  name: string;
  description: string;
  namespace: 'AWS/SQS' | 'AWS/SNS';
  metricName: string;
  dimension: { Name: 'QueueName' | 'TopicName'; Value: string };
  /** `Maximum` for a level (messages waiting), `Sum` for a count (failed deliveries). */
  statistic: 'Maximum' | 'Sum';
}

/** Fires, to the operator alarms topic, when the metric is above 0 in a 5-minute period. */
export function operatorAlarm({ name, description, namespace, metricName, dimension, statistic }: WatchedMetric): CloudWatchAlarm {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: name,
      AlarmDescription: description,
      Namespace: namespace,
      MetricName: metricName,
      Dimensions: [dimension],
      Statistic: statistic,
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [ref('OperatorAlarmsTopic')],
    },
  };
}

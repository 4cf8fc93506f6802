/**
 * The alarms this template raises, all to the operator alarms topic (serverless.yml, OperatorAlarmsTopic), over
 * 5-minute periods, and quiet while their metric has no data (an idle stack is a healthy one):
 * - {@link operatorAlarm}: a metric above a threshold (by default: above 0 in one period, the first message in a
 *   queue, the first failed delivery);
 * - {@link operatorRateAlarm}: one metric as a percentage of another, through metric math (errors per invocation).
 */
import type { AlarmMetric, CloudWatchAlarm } from './cloudformation.js';
import { ref } from './cloudformation.js';

/** The period every alarm evaluates, in seconds. */
export const ALARM_PERIOD_SECONDS = 300;

/** What every alarm tells the operator. */
interface AlarmText {
  /** The alarm's name, unique in the account and region (it starts with the stack's prefix). */
  name: string;
  description: string;
}

/** What an alarm on one metric watches. */
export interface WatchedMetric extends AlarmText {
  metric: AlarmMetric;
  /** `Maximum` for a level (messages waiting), `Sum` for a count (failed deliveries), `p99` for a latency. */
  statistic: 'Maximum' | 'Sum' | 'p99';
  /** Fires above this value; 0 by default. */
  threshold?: number;
  /** Fires when this many consecutive periods are above the threshold; 1 by default. */
  periods?: number;
}

/** Fires, to the operator alarms topic, when the metric is above its threshold for its number of 5-minute periods. */
export function operatorAlarm({ name, description, metric, statistic, threshold = 0, periods = 1 }: WatchedMetric): CloudWatchAlarm {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: name,
      AlarmDescription: description,
      ...metric,
      ...(statistic === 'p99' ? { ExtendedStatistic: statistic } : { Statistic: statistic }),
      Period: ALARM_PERIOD_SECONDS,
      EvaluationPeriods: periods,
      Threshold: threshold,
      ...ALWAYS,
    },
  };
}

/** What a rate alarm divides. */
export interface WatchedRate extends AlarmText {
  /** Counted (Sum per period): the errors. */
  numerator: AlarmMetric;
  /** Counted (Sum per period): the invocations. */
  denominator: AlarmMetric;
  /** Fires above this many numerator counts per 100 denominator counts. */
  thresholdPercent: number;
  /** Fires when this many consecutive periods are above the threshold. */
  periods: number;
  /** How the rate reads on a graph (`errors per 100 invocations`). */
  label: string;
}

/**
 * Fires, to the operator alarms topic, when `100 * numerator / denominator` is above the threshold for the number of
 * 5-minute periods. A period without any denominator count has no value (metric math divides by zero into no data),
 * so an idle function never fires it.
 */
export function operatorRateAlarm({
  name,
  description,
  numerator,
  denominator,
  thresholdPercent,
  periods,
  label,
}: WatchedRate): CloudWatchAlarm {
  const counted = (id: string, metric: AlarmMetric) =>
    ({ Id: id, MetricStat: { Metric: metric, Period: ALARM_PERIOD_SECONDS, Stat: 'Sum' }, ReturnData: false }) as const;
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: name,
      AlarmDescription: description,
      Metrics: [
        counted('numerator', numerator),
        counted('denominator', denominator),
        { Id: 'rate', Expression: '100 * numerator / denominator', Label: label, ReturnData: true },
      ],
      EvaluationPeriods: periods,
      Threshold: thresholdPercent,
      ...ALWAYS,
    },
  };
}

/** What every alarm of the template has in common. */
const ALWAYS = {
  ComparisonOperator: 'GreaterThanThreshold',
  TreatMissingData: 'notBreaching',
  AlarmActions: [ref('OperatorAlarmsTopic')],
} satisfies Pick<CloudWatchAlarm['Properties'], 'ComparisonOperator' | 'TreatMissingData' | 'AlarmActions'>;

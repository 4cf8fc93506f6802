/**
 * The stack's CloudWatch dashboard, one per stack, built from the catalog and the routing mode like every other
 * part: a header, the status of every alarm of the stack, then one row per category (its events by outcome, its
 * invocations, errors and throttles, its duration p50/p99, its events' age p99 with the alarm's threshold), one
 * widget per queue (messages waiting, age of the oldest), one per topic (notifications delivered and failed), and
 * with the archive on, the archive's records and freshness.
 *
 * The body is CloudWatch's dashboard JSON (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html)
 * as text under `!Sub`, which fills in the region, partition and account; docs/dashboard.svg is drawn from it
 * (template/dashboard-drawing.ts).
 *
 * Limitation: the console URL output is the commercial partition's (console.aws.amazon.com); in GovCloud or China
 * open the dashboard by its name.
 */
import { CATEGORIES } from '../shared/catalog.js';
import { ARCHIVE_BUFFER, deliveryStreamName } from './archive.js';
import { nameOf } from './category-parts.js';
import { type CloudWatchDashboard, type Output, ref, sub } from './cloudformation.js';
import { ARCHIVE, OperateId } from './logical-ids.js';
import { AwsMetric, EventMetric } from './metrics.js';
import { ALARM_PERIOD_SECONDS } from './operator-alarm.js';
import type { Stack } from './stack.js';
import { topicsOf } from './topics.js';

/** Where a widget sits on CloudWatch's grid: 24 columns wide, rows as high as they need. */
export interface Placement {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Markdown: the header and the section titles. */
export interface TextWidget extends Placement {
  type: 'text';
  properties: { markdown: string };
}

/** How one line of a graph is drawn: its statistic, its label, and the axis it is read on. */
export interface LineOptions {
  stat: 'Sum' | 'Maximum' | 'p50' | 'p99';
  label: string;
  yAxis?: 'right';
}

/** A graph line as CloudWatch writes it: namespace, metric name, dimension names and values in pairs, then options. */
export type MetricLine = [...string[], LineOptions];

/** A graph of metrics over time. */
export interface MetricWidget extends Placement {
  type: 'metric';
  properties: {
    title: string;
    view: 'timeSeries';
    stacked: false;
    region: string;
    period: number;
    metrics: MetricLine[];
    yAxis: { left: { min: 0; label: string; showUnits: false }; right?: { min: 0; label: string; showUnits: false } };
    annotations?: { horizontal: Array<{ label: string; value: number }> };
  };
}

/** The state of a list of alarms. */
export interface AlarmWidget extends Placement {
  type: 'alarm';
  properties: { title: string; alarms: string[] };
}

export type Widget = TextWidget | MetricWidget | AlarmWidget;

/** The dashboard's JSON. */
export interface DashboardBody {
  widgets: Widget[];
}

/** The variables `!Sub` fills into the body; nothing else in it may look like one. */
const SUBSTITUTED = ['${AWS::Region}', '${AWS::Partition}', '${AWS::AccountId}'];
const REGION = '${AWS::Region}';

/** The rejected-deliveries alarm, which serverless.yml defines (RejectedDeliveriesAlarm): its name's suffix. */
const REJECTED_DELIVERIES_ALARM = 'rejected-deliveries';

/** The dashboard's name: the stack's prefix. */
export const dashboardName = (stack: Stack) => stack.prefix;

/** The dashboard resource. `alarmNames`: every alarm of the stack, for the status widget. */
export function dashboard(stack: Stack, alarmNames: readonly string[]): CloudWatchDashboard {
  const text = JSON.stringify(dashboardBody(stack, alarmNames));
  const stray = text.match(/\$\{[^}]*\}/g)?.filter((variable) => !SUBSTITUTED.includes(variable)) ?? [];
  if (stray.length > 0) throw new Error(`The dashboard body would make !Sub resolve ${stray.join(', ')}: a name holds "\${"`);
  return { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardName: dashboardName(stack), DashboardBody: sub(text) } };
}

/** The dashboard's name and its console URL. */
export function dashboardOutputs(stack: Stack): Record<string, Output> {
  return {
    DashboardName: { Description: 'The CloudWatch dashboard of this stack (docs/operate.md)', Value: ref(OperateId.dashboard) },
    DashboardUrl: {
      Description: 'The dashboard in the CloudWatch console',
      Value: sub(
        `https://\${AWS::Region}.console.aws.amazon.com/cloudwatch/home?region=\${AWS::Region}#dashboards/dashboard/${dashboardName(stack)}`,
      ),
    },
  };
}

/** The widgets, laid out top to bottom. */
export function dashboardBody(stack: Stack, alarmNames: readonly string[]): DashboardBody {
  const rows = new Rows();
  rows.add([header(stack)], 2);
  rows.add([alarmStatus([...alarmNames, `${stack.prefix}-${REJECTED_DELIVERIES_ALARM}`])], 5);
  rows.add([section('Categories: events by outcome, invocations, duration, event age (one row each)')], 1);
  for (const category of CATEGORIES) rows.add(categoryWidgets(stack, category), 6);
  rows.add([section('Queues: failures and poison waiting for a person (14 days)')], 1);
  rows.addGrid(queues(stack).map(queueWidget), 3, 5);
  rows.add([section('Topics: what SNS delivered, and failed to')], 1);
  rows.addGrid(
    topicsOf(stack).map(({ name }) => topicWidget(name)),
    3,
    5,
  );
  if (stack.operate.archive) {
    rows.add([section(`Archive: every event, kept ${stack.operate.archiveDays} days`)], 1);
    rows.add(archiveWidgets(stack), 5);
  }
  return { widgets: rows.widgets };
}

/** The queues the stack keeps: each category's dead-letter queue, the rejected deliveries, the archive's. */
function queues(stack: Stack): string[] {
  return [
    ...CATEGORIES.map((category) => nameOf.deadLetterQueue(stack, category)),
    stack.rejectedQueue,
    ...(stack.operate.archive ? [nameOf.deadLetterQueue(stack, ARCHIVE)] : []),
  ];
}

function header(stack: Stack): Omit<TextWidget, keyof Placement> {
  const { mode, catchAll } = stack.routing;
  const archive = stack.operate.archive ? `on, ${stack.operate.archiveDays} days` : 'off';
  return {
    type: 'text',
    properties: {
      markdown:
        `# Stream Chat events: ${stack.prefix}\n` +
        `Routing **${mode}**${mode === 'per-category' ? ` (catch-all ${catchAll ? 'on' : 'off'})` : ''}, archive **${archive}**. ` +
        `Alarms notify the topic ${stack.prefix}-alarms; docs/operate.md says what each widget and alarm means and what to do.`,
    },
  };
}

function section(title: string): Omit<TextWidget, keyof Placement> {
  return { type: 'text', properties: { markdown: `## ${title}` } };
}

function alarmStatus(alarmNames: readonly string[]): Omit<AlarmWidget, keyof Placement> {
  return {
    type: 'alarm',
    properties: {
      title: `Alarms (${alarmNames.length})`,
      alarms: alarmNames.map((name) => `arn:\${AWS::Partition}:cloudwatch:${REGION}:\${AWS::AccountId}:alarm:${name}`),
    },
  };
}

/** A category's row: its events by outcome, its function's invocations and duration, its events' age. */
function categoryWidgets(stack: Stack, category: string): Array<Omit<MetricWidget, keyof Placement>> {
  const dimensions = ['service', stack.metrics.service, 'category', category];
  const event = (metricName: string, options: LineOptions): MetricLine => [stack.metrics.namespace, metricName, ...dimensions, options];
  const functionName = nameOf.function(stack, category);
  const lambda = (metricName: string, options: LineOptions): MetricLine => [
    AwsMetric.lambda.namespace,
    metricName,
    'FunctionName',
    functionName,
    options,
  ];
  const thresholdMs = stack.operate.eventAgeAlarmSeconds * 1000;
  return [
    graph(`${category}: events`, 'events', [
      event(EventMetric.Processed, { stat: 'Sum', label: 'processed' }),
      event(EventMetric.Duplicate, { stat: 'Sum', label: 'duplicate' }),
      event(EventMetric.Rejected, { stat: 'Sum', label: 'rejected' }),
      event(EventMetric.Failed, { stat: 'Sum', label: 'failed (retried)' }),
    ]),
    graph(`${category}: invocations`, 'invocations', [
      lambda(AwsMetric.lambda.invocations, { stat: 'Sum', label: 'invocations' }),
      lambda(AwsMetric.lambda.errors, { stat: 'Sum', label: 'errors' }),
      lambda(AwsMetric.lambda.throttles, { stat: 'Sum', label: 'throttles' }),
    ]),
    graph(`${category}: duration`, 'ms', [
      lambda(AwsMetric.lambda.duration, { stat: 'p50', label: 'p50' }),
      lambda(AwsMetric.lambda.duration, { stat: 'p99', label: 'p99' }),
    ]),
    annotated(
      graph(`${category}: event age`, 'ms', [event(EventMetric.Age, { stat: 'p99', label: 'p99, live deliveries' })]),
      `alarm above ${stack.operate.eventAgeAlarmSeconds} s`,
      thresholdMs,
    ),
  ];
}

function queueWidget(queueName: string): Omit<MetricWidget, keyof Placement> {
  const queue = (metricName: string, options: LineOptions): MetricLine => [
    AwsMetric.sqs.namespace,
    metricName,
    'QueueName',
    queueName,
    options,
  ];
  return graph(
    queueName,
    'messages',
    [
      queue(AwsMetric.sqs.visible, { stat: 'Maximum', label: 'messages waiting' }),
      queue(AwsMetric.sqs.oldestAge, { stat: 'Maximum', label: 'oldest (s)', yAxis: 'right' }),
    ],
    's',
  );
}

function topicWidget(topicName: string): Omit<MetricWidget, keyof Placement> {
  const topic = (metricName: string, options: LineOptions): MetricLine => [
    AwsMetric.sns.namespace,
    metricName,
    'TopicName',
    topicName,
    options,
  ];
  return graph(topicName, 'notifications', [
    topic(AwsMetric.sns.delivered, { stat: 'Sum', label: 'delivered' }),
    topic(AwsMetric.sns.failed, { stat: 'Sum', label: 'failed' }),
  ]);
}

function archiveWidgets(stack: Stack): Array<Omit<MetricWidget, keyof Placement>> {
  const name = deliveryStreamName(stack);
  const stream = (metricName: string, options: LineOptions): MetricLine => [
    AwsMetric.firehose.namespace,
    metricName,
    'DeliveryStreamName',
    name,
    options,
  ];
  return [
    graph(`${name}: records`, 'records', [
      stream(AwsMetric.firehose.incoming, { stat: 'Sum', label: 'from SNS' }),
      stream(AwsMetric.firehose.throttled, { stat: 'Sum', label: 'throttled' }),
      stream(AwsMetric.firehose.delivered, { stat: 'Sum', label: 'written to S3' }),
    ]),
    annotated(
      graph(`${name}: freshness`, 's', [stream(AwsMetric.firehose.freshness, { stat: 'Maximum', label: 'oldest record not yet in S3' })]),
      'alarm',
      3 * ARCHIVE_BUFFER.IntervalInSeconds,
    ),
  ];
}

function graph(title: string, leftLabel: string, metrics: MetricLine[], rightLabel?: string): Omit<MetricWidget, keyof Placement> {
  return {
    type: 'metric',
    properties: {
      title,
      view: 'timeSeries',
      stacked: false,
      region: REGION,
      period: ALARM_PERIOD_SECONDS,
      metrics,
      yAxis: {
        left: { min: 0, label: leftLabel, showUnits: false },
        ...(rightLabel === undefined ? {} : { right: { min: 0, label: rightLabel, showUnits: false } }),
      },
    },
  };
}

function annotated(widget: Omit<MetricWidget, keyof Placement>, label: string, value: number): Omit<MetricWidget, keyof Placement> {
  return { ...widget, properties: { ...widget.properties, annotations: { horizontal: [{ label, value }] } } };
}

/** Places widgets row by row on the 24-column grid. */
class Rows {
  public readonly widgets: Widget[] = [];
  private y = 0;

  /** One row: the widgets share the 24 columns equally. */
  public add(widgets: ReadonlyArray<Omit<Widget, keyof Placement>>, height: number): void {
    const width = 24 / widgets.length;
    for (const [index, widget] of widgets.entries()) this.widgets.push({ ...widget, x: index * width, y: this.y, width, height } as Widget);
    this.y += height;
  }

  /** As many rows as it takes, `perRow` widgets each. */
  public addGrid(widgets: ReadonlyArray<Omit<Widget, keyof Placement>>, perRow: number, height: number): void {
    for (let start = 0; start < widgets.length; start += perRow) {
      const row = widgets.slice(start, start + perRow);
      for (const [index, widget] of row.entries()) {
        this.widgets.push({ ...widget, x: index * (24 / perRow), y: this.y, width: 24 / perRow, height } as Widget);
      }
      this.y += height;
    }
  }
}

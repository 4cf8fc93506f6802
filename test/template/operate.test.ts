/**
 * Operating the stack, on the real `serverless package` output: the dashboard (a widget for every category, queue
 * and topic of the template), the alarms on every category's function (event age, throttles, error rate), the
 * archive (its subscription, delivery stream, bucket and its policy, lifecycle, what is kept on remove), topic
 * encryption under keys auth and its refusal under resource auth, and docs/dashboard.svg as the drawing of the
 * packaged dashboard. (The archive's subscriptions in the other routing modes: routing.test.ts.)
 *
 * The expectations come from the catalog, the parameters and the metric names the functions emit, never from
 * template/; counts are counted from the packaged template or the catalog.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../shared/catalog.js';
import { RECORD_LIFETIME_DAYS } from '../../shared/record-lifetime.js';
import { drawDashboard, packagedDashboard } from '../../template/dashboard-drawing.js';
import { validateTemplate } from '../support/cloudformation-spec.js';
import { PROJECT_DIR, serverless } from '../support/serverless-cli.js';
import {
  asList,
  type Packaged,
  packageTemplate,
  type Resource,
  resourcesOfType,
  statementsOf,
  type Template,
} from './packaged-template.js';

const PREFIX = 'stream-chat-events-dev';
const SERVICE = 'stream-chat-events';
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/** The parameter's documented default (serverless.yml, docs/operate.md), and the one the encrypted package sets. */
const DEFAULT_EVENT_AGE_SECONDS = 900;
const ENCRYPTED = { eventAgeAlarmSeconds: 120, archiveDays: 7 };

const packages = {} as Record<'plain' | 'encrypted' | 'unarchived', Packaged>;
const plain = (): Template => packages.plain.template;

/** A dashboard widget as CloudWatch's JSON has it. */
type Widget = { type: string; x: number; y: number; width: number; height: number; properties: Record<string, any> };
const widgetsOf = (template: Template): Widget[] => packagedDashboard(template as never).body.widgets as Widget[];
const metricWidgets = (template: Template) => widgetsOf(template).filter((widget) => widget.type === 'metric');
/** A widget's lines as { namespace, metric, dimensions, stat }. */
const linesOf = (widget: Widget) =>
  (widget.properties.metrics as unknown[][]).map((line) => {
    const [namespace, metric, ...rest] = line as [string, string, ...unknown[]];
    const pairs = rest.slice(0, -1) as string[];
    const dimensions = Object.fromEntries(pairs.flatMap((value, index) => (index % 2 === 0 ? [[value, pairs[index + 1]]] : [])));
    return { namespace, metric, dimensions, stat: (rest[rest.length - 1] as { stat: string }).stat };
  });
const alarms = (template: Template): Array<Record<string, any>> =>
  resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([id, r]) => ({ id, ...r.Properties }));
const functionName = (category: string) => `${PREFIX}-${category}`;
const eventTopics = (template: Template) => resourcesOfType(template, 'AWS::SNS::Topic').filter(([id]) => id !== 'OperatorAlarmsTopic');
const firehoseSubscriptions = (template: Template) =>
  resourcesOfType(template, 'AWS::SNS::Subscription').filter(([, r]) => r.Properties.Protocol === 'firehose');

beforeAll(async () => {
  // At once: each package is built in a staging folder of its own (test/support/serverless-cli.ts).
  [packages.plain, packages.encrypted, packages.unarchived] = await Promise.all([
    packageTemplate(),
    packageTemplate(
      [
        'snsAuth=keys',
        `topicKmsKey=${KEY}`,
        `eventAgeAlarmSeconds=${ENCRYPTED.eventAgeAlarmSeconds}`,
        `archiveDays=${ENCRYPTED.archiveDays}`,
      ].flatMap((p) => ['--param', p]),
    ),
    packageTemplate(['--param', 'archive=false']),
  ]);
}, 240_000);

describe('serverless package: the dashboard', () => {
  it('is one dashboard, named after the stack, whose name and console URL are stack outputs', () => {
    // Act
    const dashboards = resourcesOfType(plain(), 'AWS::CloudWatch::Dashboard');

    // Assess
    expect(dashboards).toHaveLength(1);
    const [id, dashboard] = dashboards[0]!;
    expect(dashboard.Properties.DashboardName).toBe(PREFIX);
    expect(plain().Outputs.DashboardName.Value).toEqual({ Ref: id });
    expect(plain().Outputs.DashboardUrl.Value['Fn::Sub']).toMatch(
      new RegExp(
        `^https://\\$\\{AWS::Region\\}\\.console\\.aws\\.amazon\\.com/cloudwatch/home\\?region=\\$\\{AWS::Region\\}#dashboards/dashboard/${PREFIX}$`,
      ),
    );
  });

  it("shows every category's events by outcome, invocations, errors, throttles, duration p50/p99 and event age p99", () => {
    for (const category of CATEGORIES) {
      // Act: the widgets whose every line is this category's (its metrics, or its function's).
      const own = metricWidgets(plain()).filter((widget) =>
        linesOf(widget).every(({ dimensions }) => dimensions.category === category || dimensions.FunctionName === functionName(category)),
      );
      const lines = own.flatMap(linesOf);

      // Assess
      expect(own.length).toBeGreaterThan(0);
      for (const line of lines.filter(({ namespace }) => namespace === 'StreamChatEvents')) {
        expect(line.dimensions).toEqual({ service: SERVICE, category });
      }
      const shown = lines.map(({ namespace, metric, stat }) => `${namespace} ${metric} ${stat}`).sort();
      expect(shown).toEqual(
        [
          ...['ProcessedEvents', 'DuplicateEvents', 'RejectedEvents', 'FailedEvents'].map((metric) => `StreamChatEvents ${metric} Sum`),
          'StreamChatEvents EventAge p99',
          ...['Invocations', 'Errors', 'Throttles'].map((metric) => `AWS/Lambda ${metric} Sum`),
          'AWS/Lambda Duration p50',
          'AWS/Lambda Duration p99',
        ].sort(),
      );
    }
  });

  it('marks the event-age alarm threshold on each event-age graph, and never shows replayed events as live', () => {
    // Act
    const ageWidgets = metricWidgets(plain()).filter((widget) => linesOf(widget).some(({ metric }) => metric === 'EventAge'));

    // Assess
    expect(ageWidgets).toHaveLength(CATEGORIES.length);
    for (const widget of ageWidgets) {
      expect(widget.properties.annotations.horizontal.map(({ value }: { value: number }) => value)).toEqual([
        DEFAULT_EVENT_AGE_SECONDS * 1000,
      ]);
      expect(linesOf(widget).map(({ metric }) => metric)).toEqual(['EventAge']);
    }
  });

  it('has one widget for every queue of the template: messages waiting and age of the oldest', () => {
    for (const template of [plain(), packages.unarchived.template]) {
      // Prepare
      const queues = resourcesOfType(template, 'AWS::SQS::Queue').map(([, r]) => r.Properties.QueueName as string);

      // Act
      const queueWidgets = metricWidgets(template).filter((widget) => linesOf(widget).some(({ namespace }) => namespace === 'AWS/SQS'));

      // Assess
      expect(queueWidgets).toHaveLength(queues.length);
      for (const queue of queues) {
        const [widget] = queueWidgets.filter((candidate) => linesOf(candidate).every(({ dimensions }) => dimensions.QueueName === queue));
        expect(widget, queue).toBeDefined();
        expect(linesOf(widget!).map(({ metric, stat }) => `${metric} ${stat}`)).toEqual([
          'ApproximateNumberOfMessagesVisible Maximum',
          'ApproximateAgeOfOldestMessage Maximum',
        ]);
      }
    }
  });

  it('has one widget for every event topic of the template: notifications delivered and failed', () => {
    // Prepare
    const topics = eventTopics(plain()).map(([, r]) => r.Properties.TopicName as string);

    // Act
    const topicWidgets = metricWidgets(plain()).filter((widget) => linesOf(widget).some(({ namespace }) => namespace === 'AWS/SNS'));

    // Assess
    expect(topicWidgets).toHaveLength(topics.length);
    for (const topic of topics) {
      const widget = topicWidgets.find((candidate) => linesOf(candidate).every(({ dimensions }) => dimensions.TopicName === topic));
      expect(linesOf(widget!).map(({ metric }) => metric)).toEqual(['NumberOfNotificationsDelivered', 'NumberOfNotificationsFailed']);
    }
  });

  it('shows the state of every alarm of the stack, and of nothing else', () => {
    for (const template of [plain(), packages.unarchived.template]) {
      // Act
      const [status] = widgetsOf(template).filter((widget) => widget.type === 'alarm');

      // Assess
      const listed = (status!.properties.alarms as string[]).map((arn) => arn.split(':alarm:')[1]).sort();
      expect(listed).toEqual(
        alarms(template)
          .map(({ AlarmName }) => AlarmName as string)
          .sort(),
      );
      // packagedDashboard fills the partition, region and account in as aws, region and 000000000000.
      for (const arn of status!.properties.alarms as string[])
        expect(arn.startsWith('arn:aws:cloudwatch:region:000000000000:alarm:')).toBe(true);
    }
  });

  it('lays every widget inside the 24 columns, none over another, every graph in the stack’s region', () => {
    // Act
    const widgets = widgetsOf(plain());

    // Assess
    const overlap = (a: Widget, b: Widget) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (const [index, widget] of widgets.entries()) {
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
      expect(widgets.slice(index + 1).filter((other) => overlap(widget, other))).toEqual([]);
      if (widget.type === 'metric') expect(widget.properties.region).toBe('region');
    }
  });

  it("reads only metric names of the functions' own that the functions' code names", () => {
    // Prepare: every string literal of shared/, where the functions emit their metrics.
    const sharedDir = join(PROJECT_DIR, 'shared');
    const literals = readdirSync(sharedDir, { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [...readFileSync(join(sharedDir, file), 'utf8').matchAll(/'([A-Za-z]+)'/g)].map(([, literal]) => literal));

    // Act
    const read = [
      ...metricWidgets(plain())
        .flatMap(linesOf)
        .filter(({ namespace }) => namespace === 'StreamChatEvents')
        .map(({ metric }) => metric),
      ...alarms(plain())
        .filter(({ Namespace }) => Namespace === 'StreamChatEvents')
        .map(({ MetricName }) => MetricName as string),
    ];

    // Assess
    expect(read.length).toBeGreaterThan(0);
    expect([...new Set(read)].filter((metric) => !literals.includes(metric))).toEqual([]);
  });
});

describe('serverless package: the alarms on each function', () => {
  it("fires when a category's live events are late: EventAge p99 above eventAgeAlarmSeconds for three 5-minute periods", () => {
    for (const [template, seconds] of [
      [plain(), DEFAULT_EVENT_AGE_SECONDS],
      [packages.encrypted.template, ENCRYPTED.eventAgeAlarmSeconds],
    ] as const) {
      // Act
      const ageAlarms = alarms(template).filter(({ MetricName }) => MetricName === 'EventAge');

      // Assess
      expect(ageAlarms.map(({ Dimensions }) => Dimensions.find((d: { Name: string }) => d.Name === 'category').Value).sort()).toEqual(
        [...CATEGORIES].sort(),
      );
      for (const alarm of ageAlarms) {
        expect(alarm).toMatchObject({
          Namespace: 'StreamChatEvents',
          ExtendedStatistic: 'p99',
          Period: 300,
          EvaluationPeriods: 3,
          Threshold: seconds * 1000,
          ComparisonOperator: 'GreaterThanThreshold',
        });
        expect(alarm.Dimensions.map((d: { Name: string }) => d.Name).sort()).toEqual(['category', 'service']);
      }
    }
  });

  it('never lets a reprocessed or redriven event move an alarm', () => {
    // Act
    const reading = alarms(plain()).filter((alarm) => JSON.stringify(alarm).includes('ReplayedEventAge'));

    // Assess
    expect(reading).toEqual([]);
  });

  it('fires as soon as Lambda throttles a category function once in 5 minutes', () => {
    // Act
    const throttleAlarms = alarms(plain()).filter(({ MetricName }) => MetricName === 'Throttles');

    // Assess
    expect(throttleAlarms.map(({ Dimensions }) => Dimensions[0].Value).sort()).toEqual(CATEGORIES.map(functionName).sort());
    for (const alarm of throttleAlarms) {
      expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Period: 300, EvaluationPeriods: 1, Threshold: 0 });
    }
  });

  it("fires on a category function's error rate, errors per 100 invocations above 1 for three 5-minute periods, not on one error", () => {
    // Act
    const rateAlarms = alarms(plain()).filter(({ Metrics }) => Metrics !== undefined);

    // Assess
    expect(rateAlarms).toHaveLength(CATEGORIES.length);
    for (const category of CATEGORIES) {
      const alarm = rateAlarms.find(({ Metrics }) => JSON.stringify(Metrics).includes(`"${functionName(category)}"`))!;
      const inputs = alarm.Metrics.filter((metric: any) => metric.MetricStat);
      const byName = Object.fromEntries(inputs.map((metric: any) => [metric.MetricStat.Metric.MetricName, metric]));
      const [expression] = alarm.Metrics.filter((metric: any) => metric.ReturnData);
      expect(Object.keys(byName).sort()).toEqual(['Errors', 'Invocations']);
      for (const input of inputs) {
        expect(input).toMatchObject({
          ReturnData: false,
          MetricStat: {
            Period: 300,
            Stat: 'Sum',
            Metric: { Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: functionName(category) }] },
          },
        });
      }
      expect(expression.Expression.replace(/\s/g, '')).toBe(`100*${byName.Errors.Id}/${byName.Invocations.Id}`);
      expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 3, ComparisonOperator: 'GreaterThanThreshold' });
    }
  });

  it('sends every alarm of the stack to the operators, and keeps it quiet while its metric has no data', () => {
    for (const alarm of alarms(plain())) {
      // Assess
      expect(alarm).toMatchObject({ AlarmActions: [{ Ref: 'OperatorAlarmsTopic' }], TreatMissingData: 'notBreaching' });
      expect(alarm.AlarmName.startsWith(`${PREFIX}-`)).toBe(true);
    }
  });
});

describe('serverless package: the archive', () => {
  it('subscribes the delivery stream once, to the events topic that receives every event, with the SNS envelope kept', () => {
    // Act
    const subscriptions = firehoseSubscriptions(plain());

    // Assess
    expect(subscriptions).toHaveLength(1);
    const [, subscription] = subscriptions[0]!;
    const [streamId] = resourcesOfType(plain(), 'AWS::KinesisFirehose::DeliveryStream')[0]!;
    expect(subscription.Properties).toMatchObject({
      TopicArn: { Ref: 'StreamEventsTopic' },
      Endpoint: { 'Fn::GetAtt': [streamId, 'Arn'] },
      RawMessageDelivery: false,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['ArchiveDeadLetterQueue', 'Arn'] } },
    });
    const roleId = subscription.Properties.SubscriptionRoleArn['Fn::GetAtt'][0];
    const role = plain().Resources[roleId]!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(statementsOf(role).map(({ Resource }) => Resource)).toEqual([{ 'Fn::GetAtt': [streamId, 'Arn'] }]);
    expect(statementsOf(role)[0]!.Action).toContain('firehose:PutRecordBatch');
  });

  it('writes gzip objects to the bucket by date and hour, and adds no delimiter of its own (SNS delimits each record)', () => {
    // Act
    const [[, stream]] = resourcesOfType(plain(), 'AWS::KinesisFirehose::DeliveryStream') as [[string, Resource]];

    // Assess
    const destination = stream.Properties.ExtendedS3DestinationConfiguration;
    expect(stream.Properties.DeliveryStreamType).toBe('DirectPut');
    expect(destination.BucketARN).toEqual({ 'Fn::GetAtt': ['ArchiveBucket', 'Arn'] });
    expect(destination.CompressionFormat).toBe('GZIP');
    expect(destination.Prefix).toMatch(/!\{timestamp:yyyy-MM-dd\}.*!\{timestamp:HH\}\/$/);
    expect(destination.ErrorOutputPrefix).toContain('!{firehose:error-output-type}');
    expect(destination.ProcessingConfiguration).toBeUndefined();
    const role = plain().Resources[destination.RoleARN['Fn::GetAtt'][0]]!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
      Principal: { Service: 'firehose.amazonaws.com' },
      Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'AWS::AccountId' } } },
    });
    const s3 = statementsOf(role).filter(({ Action }) => asList(Action).some((action: string) => action.startsWith('s3:')));
    expect(s3.flatMap(({ Resource }) => asList(Resource)).map((resource) => JSON.stringify(resource))).toEqual([
      JSON.stringify({ 'Fn::GetAtt': ['ArchiveBucket', 'Arn'] }),
      JSON.stringify({ 'Fn::Sub': '${ArchiveBucket.Arn}/*' }),
    ]);
  });

  it('keeps the bucket encrypted and private, reachable over TLS only, and on remove or replacement', () => {
    // Act
    const bucket = plain().Resources.ArchiveBucket!;
    const [[, policy]] = resourcesOfType(plain(), 'AWS::S3::BucketPolicy').filter(([id]) => id !== 'ServerlessDeploymentBucketPolicy') as [
      [string, Resource],
    ];

    // Assess
    expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe(
      'AES256',
    );
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(policy.Properties.Bucket).toEqual({ Ref: 'ArchiveBucket' });
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'DenyPlainHttp',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [{ 'Fn::GetAtt': ['ArchiveBucket', 'Arn'] }, { 'Fn::Sub': '${ArchiveBucket.Arn}/*' }],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
    expect(JSON.stringify(plain().Outputs.ArchiveBucketName.Value)).toBe(JSON.stringify({ Ref: 'ArchiveBucket' }));
  });

  it("expires archived events after the idempotency records' lifetime by default, or after archiveDays", () => {
    for (const [template, days] of [
      [plain(), RECORD_LIFETIME_DAYS],
      [packages.encrypted.template, ENCRYPTED.archiveDays],
    ] as const) {
      // Act
      const rules = template.Resources.ArchiveBucket!.Properties.LifecycleConfiguration.Rules;

      // Assess
      expect(rules).toHaveLength(1);
      expect(rules[0]).toMatchObject({ Status: 'Enabled', ExpirationInDays: days });
      expect(rules[0].Prefix ?? rules[0].Filter).toBeUndefined();
    }
  });

  it('keeps what SNS could not archive in a retained dead-letter queue with an alarm, and registers the hook after it', () => {
    // Act
    const queue = plain().Resources.ArchiveDeadLetterQueue!;
    const [[policyId, policy]] = resourcesOfType(plain(), 'AWS::SQS::QueuePolicy').filter(
      ([, r]) => r.Properties.Queues[0].Ref === 'ArchiveDeadLetterQueue',
    ) as [[string, Resource]];

    // Assess
    expect(queue).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { QueueName: `${PREFIX}-archive-dlq` },
    });
    expect(policy.Properties.PolicyDocument.Statement[0]).toMatchObject({
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
    });
    expect(alarms(plain()).filter(({ Dimensions }) => Dimensions?.[0].Value === `${PREFIX}-archive-dlq`)).toHaveLength(1);
    const [subscriptionId] = firehoseSubscriptions(plain())[0]!;
    expect(plain().Resources.StreamHook!.DependsOn).toEqual(expect.arrayContaining([subscriptionId, policyId]));
  });

  it('is not built at all with archive=false: no bucket, stream, subscription, queue or output', () => {
    // Act
    const template = packages.unarchived.template;

    // Assess
    // osls's own deployment bucket (ServerlessDeploymentBucket) holds the zips, not events.
    for (const type of ['AWS::S3::Bucket', 'AWS::S3::BucketPolicy', 'AWS::KinesisFirehose::DeliveryStream']) {
      expect(resourcesOfType(template, type).filter(([id]) => !id.startsWith('ServerlessDeploymentBucket'))).toEqual([]);
    }
    expect(firehoseSubscriptions(template)).toEqual([]);
    expect(Object.keys(template.Resources).filter((id) => id.startsWith('Archive'))).toEqual([]);
    expect(template.Outputs.ArchiveBucketName).toBeUndefined();
    expect(metricWidgets(template).filter((widget) => linesOf(widget).some(({ namespace }) => namespace === 'AWS/Firehose'))).toEqual([]);
  });
});

describe('serverless package: topic encryption', () => {
  it('puts every event topic under the given key with keys auth, and lets the publisher use that key only', () => {
    // Prepare
    const template = packages.encrypted.template;

    // Act
    const topics = eventTopics(template);
    const statements = template.Resources.StreamPublisherUser!.Properties.Policies[0].PolicyDocument.Statement;

    // Assess
    expect(topics.length).toBe(eventTopics(plain()).length);
    for (const [, topic] of topics)
      expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::If': ['TopicEncrypted', KEY, { Ref: 'AWS::NoValue' }] });
    expect(template.Conditions.TopicEncrypted).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [KEY, ''] }] });
    const kms = statements.filter((statement: any) => JSON.stringify(statement).includes('kms:'));
    expect(kms).toEqual([
      {
        'Fn::If': [
          'TopicEncrypted',
          { Effect: 'Allow', Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: KEY },
          { Ref: 'AWS::NoValue' },
        ],
      },
    ]);
    expect(template.Resources.StreamPublisherUser!.Condition).toBe('KeysAuth');
  });

  it('encrypts nothing with a key of the customer by default', () => {
    // Act
    const condition = plain().Conditions.TopicEncrypted;

    // Assess
    expect(condition).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
  });

  it('refuses a topic key with resource auth at package time, saying why, before building anything', async () => {
    // Prepare
    const packageDir = mkdtempSync(join(tmpdir(), 'sls-kms-resource-auth-'));

    // Act
    const failure = await serverless(['package', '--stage', 'dev', '--param', `topicKmsKey=${KEY}`, '--package', packageDir]).then(
      () => undefined,
      (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
    );

    // Assess
    expect(failure).toContain('Parameter topicKmsKey cannot be used');
    expect(failure).toContain('only Stream can give its principals KMS rights on your key');
    expect(failure).toContain('--param snsAuth=keys');
    expect(failure).not.toMatch(/\n\s+at /);
    expect(readdirSync(packageDir)).toEqual([]);
  });

  it('uses only known resource types and properties, with every required property, encrypted and unarchived', async () => {
    for (const template of [packages.encrypted.template, packages.unarchived.template]) {
      // Act
      const problems = await validateTemplate(template);

      // Assess
      expect(problems).toEqual([]);
    }
  });
});

describe('docs/dashboard.svg', () => {
  it('is the drawing of the packaged dashboard, labelled and dated as a drawing (npm run draw-dashboard)', () => {
    // Prepare
    const committed = readFileSync(join(PROJECT_DIR, 'docs', 'dashboard.svg'), 'utf8');
    const date = /data-drawn="(\d{4}-\d{2}-\d{2})"/.exec(committed)?.[1];
    const { name, body } = packagedDashboard(plain() as never);

    // Act
    const drawn = drawDashboard(body, { name, date: date ?? 'undated' });

    // Assess
    expect(date, 'the committed drawing carries its date').toBeDefined();
    expect(committed).toContain('a drawing, not a screenshot');
    expect(committed, 'docs/dashboard.svg is out of date: run npx serverless package --stage dev && npm run draw-dashboard').toBe(drawn);
  });
});

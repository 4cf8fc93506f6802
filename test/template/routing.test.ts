/**
 * The two routing modes on the real `serverless package` output: which topics exist and who may publish to them,
 * which function is subscribed where, what the hook waits for, the alarms on every topic, and what a switch between
 * the modes does to each subscription's logical id (CloudFormation creates a new id before the hook updates, and
 * deletes an old one only in its cleanup phase).
 *
 * The expectations come from the catalog and the table of modes below, written here, not from template/ or
 * shared/routing.ts.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../shared/catalog.js';
import { validateTemplate } from '../support/cloudformation-spec.js';
import { serverless } from '../support/serverless-cli.js';
import { asList, capitalized, type Packaged, packageTemplate, resourcesOfType, statementsOf, type Template } from './packaged-template.js';

const EVENTS_TOPIC = { id: 'StreamEventsTopic', name: 'stream-chat-events-dev-events' };
const STREAM_ACCOUNT = 'arn:aws:iam::185583345998:root';
const NAMED = CATEGORIES.filter((category) => category !== 'other');
const ownTopic = (category: string) => ({ id: `${capitalized(category)}EventsTopic`, name: `${EVENTS_TOPIC.name}-${category}` });

/**
 * The modes, as the README describes them: which topics exist, the topic each function is subscribed to, and the
 * topics the archive subscribes to so that it receives every event once (here, every topic: with catchAll false,
 * no topic receives every event). Per-category with the catch-all is the default, in operate.test.ts.
 */
const MODES = {
  'per-category': {
    args: ['--param', 'catchAll=false'],
    catchAll: 'false',
    topics: [EVENTS_TOPIC, ...NAMED.map(ownTopic)],
    topicOf: (category: string) => (category === 'other' ? EVENTS_TOPIC.id : ownTopic(category).id),
    archived: [EVENTS_TOPIC, ...NAMED.map(ownTopic)],
  },
  'single-topic': {
    args: ['--param', 'routing=single-topic'],
    catchAll: 'true',
    topics: [EVENTS_TOPIC],
    topicOf: () => EVENTS_TOPIC.id,
    archived: [EVENTS_TOPIC],
  },
} as const;
type Mode = keyof typeof MODES;

const packages = {} as Record<Mode, Packaged>;
const templateOf = (mode: Mode): Template => packages[mode].template;
/** Each function's subscription as logical id → the function's logical id and the topic's. */
const subscriptionsOf = (template: Template) =>
  Object.fromEntries(
    resourcesOfType(template, 'AWS::SNS::Subscription')
      .filter(([, r]) => r.Properties.Protocol === 'lambda')
      .map(([id, r]) => [id, { endpoint: r.Properties.Endpoint['Fn::GetAtt'][0] as string, topic: r.Properties.TopicArn.Ref as string }]),
  );

beforeAll(async () => {
  // At once: each package is built in a staging folder of its own (test/support/serverless-cli.ts).
  await Promise.all((Object.keys(MODES) as Mode[]).map(async (mode) => (packages[mode] = await packageTemplate([...MODES[mode].args]))));
}, 240_000);

describe.each(Object.keys(MODES) as Mode[])('serverless package, %s routing: topics', (mode) => {
  it('has exactly the topics of the mode, with their names', () => {
    // Act
    const topics = resourcesOfType(templateOf(mode), 'AWS::SNS::Topic').filter(([id]) => id !== 'OperatorAlarmsTopic');

    // Assess
    expect(Object.fromEntries(topics.map(([id, r]) => [id, r.Properties.TopicName]))).toEqual(
      Object.fromEntries(MODES[mode].topics.map(({ id, name }) => [id, name])),
    );
  });

  it('gives every topic one policy: only Stream publishes under resource auth, only SNS:Publish, never over plain HTTP', () => {
    for (const { id } of MODES[mode].topics) {
      // Act
      const policies = resourcesOfType(templateOf(mode), 'AWS::SNS::TopicPolicy').filter(([, r]) =>
        r.Properties.Topics.some((topic: { Ref: string }) => topic.Ref === id),
      );

      // Assess
      expect(policies).toHaveLength(1);
      const [, policy] = policies[0]!;
      expect(policy.Properties.Topics).toEqual([{ Ref: id }]);
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        {
          'Fn::If': [
            'ResourceAuth',
            { Sid: 'StreamPublishes', Effect: 'Allow', Principal: { AWS: STREAM_ACCOUNT }, Action: 'SNS:Publish', Resource: { Ref: id } },
            { Ref: 'AWS::NoValue' },
          ],
        },
        {
          Sid: 'DenyPlainHttp',
          Effect: 'Deny',
          Principal: '*',
          Action: 'SNS:Publish',
          Resource: { Ref: id },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]);
    }
  });

  it('lets the keys-auth publisher, under keys auth only, publish to every topic of the stack and nothing else', () => {
    // Prepare
    const template = templateOf(mode);

    // Act
    const statements = statementsOf(template.Resources.StreamPublisherUser!).filter(({ Action }) =>
      asList(Action).some((a: string) => a.startsWith('SNS:')),
    );

    // Assess
    for (const id of ['StreamPublisherUser', 'StreamPublisherAccessKey', 'StreamPublisherSecret']) {
      expect(template.Resources[id]?.Condition).toBe('KeysAuth');
    }
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Effect: 'Allow', Action: 'SNS:Publish' });
    expect(asList(statements[0]!.Resource)).toEqual(MODES[mode].topics.map(({ id }) => ({ Ref: id })));
    expect(JSON.stringify(template.Outputs)).not.toMatch(/SecretAccessKey|StreamPublisherAccessKey/);
  });

  it('alarms on every topic, to the operators, as soon as SNS fails a delivery or a redrive within 5 minutes', () => {
    // Act
    const snsAlarms = resourcesOfType(templateOf(mode), 'AWS::CloudWatch::Alarm')
      .map(([, r]) => r.Properties)
      .filter((alarm) => alarm.Namespace === 'AWS/SNS');

    // Assess
    const expected = MODES[mode].topics.flatMap(({ name }) =>
      ['NumberOfNotificationsFailed', 'NumberOfNotificationsFailedToRedriveToDlq'].map((metric) => `${name} ${metric}`),
    );
    expect(snsAlarms.map((alarm) => `${alarm.Dimensions[0].Value} ${alarm.MetricName}`).sort()).toEqual(expected.sort());
    for (const alarm of snsAlarms) {
      expect(alarm).toMatchObject({
        Dimensions: [{ Name: 'TopicName' }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: 'OperatorAlarmsTopic' }],
      });
    }
  });
});

describe.each(Object.keys(MODES) as Mode[])('serverless package, %s routing: subscriptions', (mode) => {
  it("subscribes each function to its mode's topic only, once, with SNS allowed to invoke it from there", () => {
    // Prepare
    const template = templateOf(mode);

    // Act
    const subscribed = Object.values(subscriptionsOf(template));
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(
      ([, r]) => r.Properties.Principal === 'sns.amazonaws.com',
    );

    // Assess
    const expected = CATEGORIES.map((category) => ({
      endpoint: `${capitalized(category)}LambdaFunction`,
      topic: MODES[mode].topicOf(category),
    }));
    expect(subscribed).toHaveLength(CATEGORIES.length);
    expect(subscribed).toEqual(expect.arrayContaining(expected));
    expect(
      permissions.map(([, r]) => ({ endpoint: r.Properties.FunctionName['Fn::GetAtt'][0], topic: r.Properties.SourceArn.Ref })),
    ).toEqual(expect.arrayContaining(expected));
    expect(permissions).toHaveLength(CATEGORIES.length);
  });

  it("redrives what SNS cannot deliver to the function's own dead-letter queue, whose one policy admits its topic", () => {
    for (const category of CATEGORIES) {
      // Prepare
      const template = templateOf(mode);
      const queue = `${capitalized(category)}DeadLetterQueue`;

      // Act
      const [, subscription] = resourcesOfType(template, 'AWS::SNS::Subscription').find(
        ([, r]) => r.Properties.Endpoint['Fn::GetAtt'][0] === `${capitalized(category)}LambdaFunction`,
      )!;
      const policies = resourcesOfType(template, 'AWS::SQS::QueuePolicy').filter(([, r]) =>
        r.Properties.Queues.some((q: { Ref: string }) => q.Ref === queue),
      );

      // Assess
      expect(subscription.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [queue, 'Arn'] } });
      expect(policies).toHaveLength(1);
      const [statement] = policies[0]![1].Properties.PolicyDocument.Statement;
      expect(statement).toMatchObject({
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [queue, 'Arn'] },
      });
      expect(JSON.stringify(asList(statement.Condition.ArnEquals['aws:SourceArn']))).toContain(
        category === 'other' || mode === 'single-topic' ? `{"Ref":"${EVENTS_TOPIC.id}"}` : `:${ownTopic(category).name}"`,
      );
    }
  });

  it('registers the hook only after every topic policy and everything that delivers an event in this mode', () => {
    // Prepare: what an event passes through from a topic to a function, and on to its dead-letter queue.
    const template = templateOf(mode);
    const subscribed = Object.values(subscriptionsOf(template)).map(({ endpoint }) => endpoint);
    const delivering = [
      ...resourcesOfType(template, 'AWS::SNS::TopicPolicy'),
      ...resourcesOfType(template, 'AWS::SNS::Subscription'),
      ...resourcesOfType(template, 'AWS::Lambda::Permission').filter(([, r]) => r.Properties.Principal === 'sns.amazonaws.com'),
      ...resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig').filter(([, r]) => subscribed.includes(r.Properties.FunctionName.Ref)),
      ...resourcesOfType(template, 'AWS::SQS::QueuePolicy'),
    ].map(([id]) => id);

    // Act
    const dependsOn = template.Resources.StreamHook!.DependsOn!;

    // Assess
    // Per topic its policy; per function its subscription, permission, invoke configuration and queue policy; the
    // archive's subscriptions, and its queue's policy.
    expect(delivering).toHaveLength(MODES[mode].topics.length + 4 * CATEGORIES.length + MODES[mode].archived.length + 1);
    expect([...dependsOn].sort()).toEqual(delivering.sort());
  });

  it('hands the mode to the hook and the setup, and the events topic name to every function', () => {
    // Prepare
    const template = templateOf(mode);

    // Act
    const hook = template.Resources.StreamHook!.Properties;
    const setup = template.Resources.SetupLambdaFunction!.Properties.Environment.Variables;
    const functions = resourcesOfType(template, 'AWS::Lambda::Function');

    // Assess
    expect(hook).toMatchObject({ Routing: mode, CatchAll: MODES[mode].catchAll, TopicArn: { Ref: EVENTS_TOPIC.id } });
    expect(setup).toMatchObject({ STREAM_ROUTING: mode, STREAM_CATCH_ALL: MODES[mode].catchAll });
    expect(functions).toHaveLength(CATEGORIES.length + 1);
    for (const [, fn] of functions) expect(fn.Properties.Environment.Variables.STREAM_EVENTS_TOPIC_NAME).toBe(EVENTS_TOPIC.name);
  });

  it('archives every event once: the delivery stream is subscribed to each topic that carries events no other does', () => {
    // Act
    const archived = resourcesOfType(templateOf(mode), 'AWS::SNS::Subscription').filter(([, r]) => r.Properties.Protocol === 'firehose');

    // Assess
    expect(archived.map(([, r]) => r.Properties.TopicArn.Ref).sort()).toEqual(MODES[mode].archived.map(({ id }) => id).sort());
    for (const [, subscription] of archived) {
      expect(subscription.Properties).toMatchObject({
        RawMessageDelivery: false,
        Endpoint: { 'Fn::GetAtt': ['ArchiveDeliveryStream', 'Arn'] },
      });
    }
  });

  it('uses only known resource types and properties, with every required property', async () => {
    // Act
    const problems = await validateTemplate(templateOf(mode));

    // Assess
    expect(problems).toEqual([]);
  });
});

describe('serverless package: switching routing modes on a live stack', () => {
  it('gives every subscription whose topic changes another logical id, so the new one exists before the hook updates', () => {
    // Prepare
    const perCategory = subscriptionsOf(templateOf('per-category'));
    const singleTopic = subscriptionsOf(templateOf('single-topic'));

    // Act
    const moved = NAMED.map((category) => {
      const endpoint = `${capitalized(category)}LambdaFunction`;
      const idIn = (subscriptions: typeof perCategory) => Object.keys(subscriptions).find((id) => subscriptions[id]!.endpoint === endpoint);
      return { perCategory: idIn(perCategory), singleTopic: idIn(singleTopic) };
    });

    // Assess
    for (const ids of moved) {
      expect(ids.perCategory).toBeDefined();
      expect(ids.singleTopic).toBeDefined();
      expect(ids.perCategory).not.toBe(ids.singleTopic);
      expect(Object.keys(singleTopic)).not.toContain(ids.perCategory);
      expect(Object.keys(perCategory)).not.toContain(ids.singleTopic);
    }
  });

  it('never changes a subscription in place, and keeps one id for a subscription both modes share', () => {
    // Prepare: SNS answers a second subscription of the same function to the same topic with the first one's ARN,
    // so a shared subscription under two ids would be unsubscribed when CloudFormation deletes the old id.
    const [perCategory, singleTopic] = [templateOf('per-category'), templateOf('single-topic')];
    const pairOf = (r: { endpoint: string; topic: string }) => `${r.endpoint} <- ${r.topic}`;

    // Act
    const idsByPair = (template: Template) =>
      Object.fromEntries(Object.entries(subscriptionsOf(template)).map(([id, subscription]) => [pairOf(subscription), id]));
    const [perCategoryIds, singleTopicIds] = [idsByPair(perCategory), idsByPair(singleTopic)];
    const shared = Object.keys(perCategoryIds).filter((pair) => pair in singleTopicIds);
    const sameId = Object.keys(perCategory.Resources).filter((id) => id in singleTopic.Resources);

    // Assess
    expect(shared).toEqual(['OtherLambdaFunction <- StreamEventsTopic']);
    for (const pair of shared) expect(perCategoryIds[pair]).toBe(singleTopicIds[pair]);
    for (const id of sameId.filter((candidate) => perCategory.Resources[candidate]!.Type === 'AWS::SNS::Subscription')) {
      expect(perCategory.Resources[id]).toEqual(singleTopic.Resources[id]);
    }
  });

  it("keeps every dead-letter queue's redrive policy the same in both modes, so no switch changes it", () => {
    // Act
    const policiesOf = (mode: Mode) => Object.fromEntries(resourcesOfType(templateOf(mode), 'AWS::SQS::QueuePolicy'));

    // Assess
    expect(Object.keys(policiesOf('per-category'))).toHaveLength(CATEGORIES.length + 1);
    expect(policiesOf('per-category')).toEqual(policiesOf('single-topic'));
  });
});

describe('serverless package with a routing parameter it does not know', () => {
  it('fails before building anything, naming the parameter, its value and the choices', async () => {
    // Prepare
    const packageDir = mkdtempSync(join(tmpdir(), 'sls-bad-routing-'));

    // Act
    const failure = await serverless(['package', '--stage', 'dev', '--param', 'routing=per-categroy', '--package', packageDir]).then(
      () => undefined,
      (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
    );

    // Assess
    expect(failure).toContain('Parameter routing is "per-categroy": use "per-category" or "single-topic"');
    expect(failure).not.toMatch(/\n\s+at /);
    expect(readdirSync(packageDir)).toEqual([]);
  });
});

describe('serverless package: the hourly sync of the setup (catchAll false only)', () => {
  it('per-category with catchAll false invokes the setup hourly with {"action":"sync"}, and alarms to the operators on its metric and its failures', () => {
    // Prepare
    const template = templateOf('per-category');

    // Act
    const rules = resourcesOfType(template, 'AWS::Events::Rule').map(([, r]) => r.Properties);
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm')
      .map(([, r]) => r.Properties)
      .filter((alarm) => alarm.MetricName === 'UncategorisedStreamTypes');
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(
      ([, r]) => r.Properties.Principal === 'events.amazonaws.com',
    );

    // Assess
    expect(rules).toEqual([
      expect.objectContaining({
        ScheduleExpression: 'rate(1 hour)',
        State: 'ENABLED',
        Targets: [expect.objectContaining({ Arn: { 'Fn::GetAtt': ['SetupLambdaFunction', 'Arn'] }, Input: '{"action":"sync"}' })],
      }),
    ]);
    expect(permissions).toHaveLength(1);
    expect(alarms).toEqual([
      expect.objectContaining({
        Namespace: 'StreamChatEvents',
        Dimensions: [{ Name: 'service', Value: 'stream-chat-events' }],
        Statistic: 'Maximum',
        Period: 3600,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: 'OperatorAlarmsTopic' }],
      }),
    ]);
    expect(template.Resources.SetupSyncFailedAlarm?.Properties).toEqual(
      expect.objectContaining({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: template.Resources.SetupLambdaFunction?.Properties.FunctionName }],
        Statistic: 'Sum',
        Period: 3600,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: 'OperatorAlarmsTopic' }],
      }),
    );
    expect(template.Resources.SetupLambdaFunction?.Properties.FunctionName).toBe('stream-chat-events-dev-setup');
    expect(template.Resources.SetupLambdaFunction?.Properties.Environment.Variables).toMatchObject({
      STREAM_ROUTING: 'per-category',
      STREAM_CATCH_ALL: 'false',
      STREAM_REGISTER_HOOK: 'true',
    });
  });

  it('single-topic has no schedule and no sync alarms', () => {
    // Act
    const template = templateOf('single-topic');

    // Assess
    expect(resourcesOfType(template, 'AWS::Events::Rule')).toEqual([]);
    expect(
      resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter(([, r]) => r.Properties.MetricName === 'UncategorisedStreamTypes'),
    ).toEqual([]);
    expect(template.Resources.SetupSyncFailedAlarm).toBeUndefined();
  });

  it("hands the hook's custom resource the routing parameters the setup reads", () => {
    for (const mode of Object.keys(MODES) as Mode[]) {
      // Act
      const properties = templateOf(mode).Resources.StreamHook?.Properties;

      // Assess
      expect(properties).toMatchObject({ Routing: mode, CatchAll: MODES[mode].catchAll, TopicArn: { Ref: EVENTS_TOPIC.id } });
    }
  });
});

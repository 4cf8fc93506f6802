/**
 * Adding a category is a catalog entry and a handler file: in a copy of the project where only those two change,
 * the real `serverless package` (default routing, per-category) produces the new category's function, its own
 * topic with its policy and alarms, its subscription there, dead-letter queue, alarm, role and invoke
 * configuration, and the hook waits for them. The copy is packaged at the longest stage the
 * names check lets through, so the longest function name is exactly Lambda's limit.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../shared/catalog.js';
import { copyProject, serverless } from '../support/serverless-cli.js';

type Resource = {
  Type: string;
  Properties: Record<string, any>;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

const NEW_CATEGORY = 'reminders';
const MOVED_TYPES = ['reminder.created', 'reminder.updated', 'reminder.deleted', 'notification.reminder_due'];
const SERVICE = 'stream-chat-events';
// Lambda allows 64 characters in `<service>-<stage>-<function>`; the longest function name decides.
const STAGE = 's'.repeat(64 - `${SERVICE}--`.length - Math.max(...[...CATEGORIES, NEW_CATEGORY, 'setup'].map((name) => name.length)));

let project: ReturnType<typeof copyProject>;
let resources: Record<string, Resource>;
let packageDir: string;

/** The catalog with one more category, owning the reminder types that `other` owned. */
function withNewCategory(catalog: string): string {
  const [before, after] = catalog.split("  other: 'other',\n");
  if (after === undefined) throw new Error("shared/catalog.ts no longer lists `other: 'other',` in Category: update this test's edit");
  let edited = `${before}  other: 'other',\n  ${NEW_CATEGORY}: '${NEW_CATEGORY}',\n${after}`;
  for (const type of MOVED_TYPES) {
    const entry = `'${type}': 'other'`;
    if (!edited.includes(entry)) throw new Error(`shared/catalog.ts has no entry ${entry}: update this test's edit`);
    edited = edited.replace(entry, `'${type}': '${NEW_CATEGORY}'`);
  }
  return edited;
}

beforeAll(async () => {
  project = copyProject();
  const catalogFile = join(project.dir, 'shared', 'catalog.ts');
  writeFileSync(catalogFile, withNewCategory(readFileSync(catalogFile, 'utf8')));
  mkdirSync(join(project.dir, 'functions', NEW_CATEGORY));
  writeFileSync(
    join(project.dir, 'functions', NEW_CATEGORY, 'handler.ts'),
    [
      "import { streamEventFunction } from '../../shared/middleware.js';",
      '',
      `export const handler = streamEventFunction('${NEW_CATEGORY}', {`,
      "  fallback: async (event, { logger }) => logger.info('Reminder', { eventType: event.type }),",
      '});',
      '',
    ].join('\n'),
  );
  packageDir = join(project.dir, 'packaged');
  await serverless(['package', '--stage', STAGE, '--package', packageDir], { projectDir: project.dir });
  resources = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8')).Resources;
}, 240_000);

afterAll(() => project?.remove());

describe('adding a category: catalog entry and handler file only', () => {
  it('builds its function on its handler, on nodejs24.x, with its own role, zipped', () => {
    // Act
    const fn = resources.RemindersLambdaFunction!;

    // Assess
    expect(fn.Properties).toMatchObject({
      Handler: `functions/${NEW_CATEGORY}/handler.handler`,
      FunctionName: `${SERVICE}-${STAGE}-${NEW_CATEGORY}`,
      Runtime: 'nodejs24.x',
      Role: { 'Fn::GetAtt': ['RemindersRole', 'Arn'] },
    });
    expect(readFileSync(join(packageDir, `${NEW_CATEGORY}.zip`)).length).toBeGreaterThan(0);
  });

  it('gives it a topic of its own, with the policy and alarms of every topic', () => {
    // Act
    const topic = resources.RemindersEventsTopic!;
    const policy = resources.RemindersEventsTopicPolicy!;
    const alarmed = Object.values(resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.Namespace === 'AWS/SNS')
      .filter((r) => r.Properties.Dimensions[0].Value === `${SERVICE}-${STAGE}-events-${NEW_CATEGORY}`)
      .map((r) => r.Properties.MetricName);

    // Assess
    expect(topic.Properties).toEqual({
      TopicName: `${SERVICE}-${STAGE}-events-${NEW_CATEGORY}`,
      KmsMasterKeyId: { 'Fn::If': ['TopicEncrypted', '', { Ref: 'AWS::NoValue' }] },
    });
    expect(policy.Properties.Topics).toEqual([{ Ref: 'RemindersEventsTopic' }]);
    expect(alarmed.sort()).toEqual(['NumberOfNotificationsFailed', 'NumberOfNotificationsFailedToRedriveToDlq']);
  });

  it('subscribes it to its own topic, with SNS allowed to invoke it and to redrive to its dead-letter queue', () => {
    // Act
    const subscription = resources.RemindersSnsSubscriptionRemindersEvents!;
    const permission = resources.RemindersLambdaPermissionRemindersEventsSNS!;

    // Assess
    expect(subscription.Properties).toMatchObject({
      Protocol: 'lambda',
      TopicArn: { Ref: 'RemindersEventsTopic' },
      Endpoint: { 'Fn::GetAtt': ['RemindersLambdaFunction', 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['RemindersDeadLetterQueue', 'Arn'] } },
    });
    expect(permission.Properties).toMatchObject({ Principal: 'sns.amazonaws.com', SourceArn: { Ref: 'RemindersEventsTopic' } });
    expect(resources.StreamEventsToRemindersDLQPolicy?.Type).toBe('AWS::SQS::QueuePolicy');
  });

  it('gives it a retained dead-letter queue, an alarm on it, and two retries before it', () => {
    // Act
    const queue = resources.RemindersDeadLetterQueue!;
    const alarm = resources.RemindersDeadLetterAlarm!;
    const invokeConfig = resources.RemindersLambdaEvConf!;

    // Assess
    expect(queue).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { QueueName: `${SERVICE}-${STAGE}-${NEW_CATEGORY}-dlq`, MessageRetentionPeriod: 1209600 },
    });
    expect(alarm.Properties.Dimensions).toEqual([{ Name: 'QueueName', Value: `${SERVICE}-${STAGE}-${NEW_CATEGORY}-dlq` }]);
    expect(invokeConfig.Properties).toMatchObject({
      FunctionName: { Ref: 'RemindersLambdaFunction' },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['RemindersDeadLetterQueue', 'Arn'] } } },
    });
  });

  it('gives its role its own log group and dead-letter queue, and nothing of another category', () => {
    // Act
    const statements = resources.RemindersRole!.Properties.Policies[0].PolicyDocument.Statement;

    // Assess
    expect(statements[0].Resource['Fn::Sub']).toMatch(new RegExp(`/aws/lambda/${SERVICE}-${STAGE}-${NEW_CATEGORY}:\\*$`));
    expect(statements[3].Resource).toEqual({ 'Fn::GetAtt': ['RemindersDeadLetterQueue', 'Arn'] });
    expect(JSON.stringify(statements)).not.toMatch(new RegExp(CATEGORIES.join('|'), 'i'));
  });

  it('registers the hook only after the new category can take events', () => {
    // Act
    const dependsOn = resources.StreamHook!.DependsOn!;

    // Assess
    expect(dependsOn).toEqual(
      expect.arrayContaining([
        'RemindersEventsTopicPolicy',
        'RemindersSnsSubscriptionRemindersEvents',
        'RemindersLambdaPermissionRemindersEventsSNS',
        'RemindersLambdaEvConf',
        'StreamEventsToRemindersDLQPolicy',
      ]),
    );
  });

  it('keeps the other categories as they were, and reaches Lambda’s name limit exactly at the longest stage', () => {
    // Act
    const functionNames = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => r.Properties.FunctionName as string);

    // Assess
    expect(functionNames.sort()).toEqual([...CATEGORIES, NEW_CATEGORY, 'setup'].map((c) => `${SERVICE}-${STAGE}-${c}`).sort());
    expect(Math.max(...functionNames.map((name) => name.length))).toBe(64);
  });
});

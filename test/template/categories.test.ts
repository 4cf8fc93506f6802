/**
 * The builders of each category's parts (template/category-parts.ts, put together by template/categories.ts), for
 * any of the catalog's categories in either routing mode: each part once per category, one subscription each, and
 * each reference inside a part naming that category's resources or the stack's shared ones, never another
 * category's. What the whole catalog packages into is proven on the packaged template (serverless.test.ts,
 * routing.test.ts) and for an added category (add-category.test.ts).
 */
import { fc, it as property } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../shared/catalog.js';
import { RoutingMode } from '../../shared/routing.js';
import { archivedTopics } from '../../template/archive.js';
import { categoryResources, operatorResources } from '../../template/categories.js';
import { categoryFunction } from '../../template/category-parts.js';
import { BooleanParameterError, CategoryNameError, NumberParameterError } from '../../template/errors.js';
import { checkCategoryName } from '../../template/logical-ids.js';
import { operateSettingsOf } from '../../template/operate-settings.js';
import type { Stack } from '../../template/stack.js';

const stackIn = (mode: RoutingMode, routing: Partial<Stack['routing']> = {}, operate: Partial<Stack['operate']> = {}): Stack => ({
  prefix: 'svc-dev',
  eventsTopicName: 'svc-dev-events',
  rejectedQueue: 'svc-dev-rejected',
  lambdaTrust: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  },
  streamAccount: 'arn:aws:iam::185583345998:root',
  routing: { mode, catchAll: true, streamEventTypes: [], ...routing },
  metrics: { namespace: 'Events', service: 'svc' },
  operate: { archive: true, archiveDays: 25, eventAgeAlarmSeconds: 900, ...operate },
  topicKmsKey: '',
});
/** Resources every category's parts may name: the stack's own, not a category's. */
const SHARED = ['StreamEventsTopic', 'IdempotencyTable', 'RejectedDeliveriesQueue', 'OperatorAlarmsTopic'];
const NAMED = CATEGORIES.filter((category) => category !== 'other');
const categoryName = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,15}$/);
const logicalIdOf = (name: string) => name[0]!.toUpperCase() + name.slice(1);

/** Every logical id a value names through Ref or Fn::GetAtt. */
function referencesIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (typeof value !== 'object' || value === null) return [];
  const node = value as Record<string, unknown>;
  if (typeof node.Ref === 'string') return [node.Ref];
  if (Array.isArray(node['Fn::GetAtt'])) return [String(node['Fn::GetAtt'][0])];
  return Object.values(node).flatMap(referencesIn);
}

describe('categoryResources', () => {
  property.prop([fc.shuffledSubarray([...CATEGORIES], { minLength: 1 }), fc.constantFrom(...Object.values(RoutingMode))])(
    "builds each category's parts once, each naming only its own category's resources and the stack's",
    (categories, mode) => {
      // Act
      const resources = categoryResources(stackIn(mode), categories);

      // Assess
      const partsOf = (id: string) => [
        `${id}DeadLetterQueue`,
        `StreamEventsTo${id}DLQPolicy`,
        `${id}DeadLetterAlarm`,
        `${id}EventAgeAlarm`,
        `${id}ThrottlesAlarm`,
        `${id}ErrorRateAlarm`,
        `${id}Role`,
      ];
      const subscriptions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SNS::Subscription');
      const permissions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Permission');
      expect(subscriptions).toHaveLength(categories.length);
      expect(permissions).toHaveLength(categories.length);
      expect(Object.keys(resources)).toHaveLength(9 * categories.length);
      for (const category of categories) {
        const id = logicalIdOf(category);
        const ownTopic = mode === RoutingMode.PerCategory && category !== 'other' ? [`${id}EventsTopic`] : [];
        const own = [...partsOf(id), `${id}LambdaFunction`, ...ownTopic];
        const parts = [
          ...partsOf(id),
          ...[...subscriptions, ...permissions].filter(([, r]) => JSON.stringify(r).includes(`"${id}LambdaFunction"`)).map(([key]) => key),
        ];
        expect(parts).toHaveLength(9);
        for (const part of parts) {
          expect(referencesIn(resources[part]).filter((ref) => !own.includes(ref) && !SHARED.includes(ref))).toEqual([]);
        }
        expect(resources[`${id}DeadLetterQueue`]!.Properties).toMatchObject({ QueueName: `svc-dev-${category}-dlq` });
      }
    },
  );
});

describe('categoryFunction', () => {
  property.prop([categoryName])('runs the category’s handler with its own role, failures to its own queue', (category) => {
    // Act
    const fn = categoryFunction(category);

    // Assess
    expect(fn).toMatchObject({
      handler: `functions/${category}/handler.handler`,
      role: `${logicalIdOf(category)}Role`,
      destinations: { onFailure: { type: 'sqs', arn: { 'Fn::GetAtt': [`${logicalIdOf(category)}DeadLetterQueue`, 'Arn'] } } },
    });
  });
});

describe('checkCategoryName', () => {
  it('refuses a category name that cannot name a function, a queue and a logical id alike', () => {
    for (const name of ['user-groups', 'user_groups', '2fa', '', 'setup', 'archive', 'Archive']) {
      // Act
      const act = () => checkCategoryName(name);

      // Assess
      expect(act).toThrow(CategoryNameError);
    }
  });

  property.prop([categoryName])('accepts a letter followed by letters and digits', (name) => {
    // Act
    const act = () => checkCategoryName(name);

    // Assess
    expect(act).not.toThrow();
  });
});

describe('archivedTopics', () => {
  it('is the events topic alone when it receives every event, and every topic when no topic does', () => {
    for (const [stack, expected] of [
      [stackIn(RoutingMode.SingleTopic), ['svc-dev-events']],
      [stackIn(RoutingMode.SingleTopic, { streamEventTypes: ['message.new'] }), ['svc-dev-events']],
      [stackIn(RoutingMode.PerCategory), ['svc-dev-events']],
      [stackIn(RoutingMode.PerCategory, { catchAll: false }), ['svc-dev-events', ...NAMED.map((category) => `svc-dev-events-${category}`)]],
      // Narrowed: the events topic's hook lists the narrowed `other` types only, so no topic receives every event.
      [
        stackIn(RoutingMode.PerCategory, { streamEventTypes: ['message.new', 'user.banned'] }),
        ['svc-dev-events', ...NAMED.map((category) => `svc-dev-events-${category}`)],
      ],
    ] as const) {
      // Act
      const topics = archivedTopics(stack).map(({ name }) => name);

      // Assess
      expect(topics.sort()).toEqual([...expected].sort());
    }
  });
});

describe('operatorResources', () => {
  property.prop([fc.constantFrom(...Object.values(RoutingMode)), fc.boolean(), fc.boolean()])(
    "lists every alarm the builders make in the dashboard's status widget, and builds the archive only when asked",
    (mode, catchAll, archive) => {
      // Prepare
      const stack = stackIn(mode, { catchAll }, { archive });

      // Act
      const resources = operatorResources(stack);

      // Assess
      const built = { ...categoryResources(stack), ...resources };
      const alarmNames = Object.values(built).flatMap((r) => (r.Type === 'AWS::CloudWatch::Alarm' ? [r.Properties.AlarmName] : []));
      const body = JSON.parse(
        (resources.OperatorDashboard!.Properties as { DashboardBody: { 'Fn::Sub': string } }).DashboardBody['Fn::Sub'],
      );
      const listed: string[] = body.widgets.find((widget: { type: string }) => widget.type === 'alarm').properties.alarms;
      for (const name of alarmNames) expect(listed.filter((arn) => arn.endsWith(`:alarm:${name}`))).toHaveLength(1);
      expect(Object.keys(resources).some((id) => id === 'ArchiveBucket')).toBe(archive);
    },
  );
});

describe('operateSettingsOf', () => {
  it('reads the parameters as YAML or --param give them', () => {
    // Act
    const settings = [
      operateSettingsOf({ archive: true, archiveDays: 25, eventAgeAlarmSeconds: 900 }),
      operateSettingsOf({ archive: 'false', archiveDays: '7', eventAgeAlarmSeconds: '60' }),
    ];

    // Assess
    expect(settings).toEqual([
      { archive: true, archiveDays: 25, eventAgeAlarmSeconds: 900 },
      { archive: false, archiveDays: 7, eventAgeAlarmSeconds: 60 },
    ]);
  });

  it('refuses a value it cannot use, naming the parameter and what it takes', () => {
    for (const [parameters, error, message] of [
      [
        { archive: 'yes', archiveDays: 25, eventAgeAlarmSeconds: 900 },
        BooleanParameterError,
        'Parameter archive is "yes": use "true" or "false"',
      ],
      [
        { archive: true, archiveDays: 0, eventAgeAlarmSeconds: 900 },
        NumberParameterError,
        'Parameter archiveDays is 0: use a whole number of at least 1',
      ],
      [{ archive: true, archiveDays: '2.5', eventAgeAlarmSeconds: 900 }, NumberParameterError, 'Parameter archiveDays is "2.5"'],
      [
        { archive: true, archiveDays: 25, eventAgeAlarmSeconds: '15m' },
        NumberParameterError,
        'Parameter eventAgeAlarmSeconds is "15m": use a whole number of at least 60',
      ],
    ] as const) {
      // Act
      const act = () => operateSettingsOf(parameters);

      // Assess
      expect(act).toThrow(error);
      expect(act).toThrow(message);
    }
  });
});

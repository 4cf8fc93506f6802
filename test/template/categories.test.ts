/**
 * The builders of each category's parts (template/category-parts.ts, put together by template/categories.ts), for
 * any categories: each part once per category, each reference inside a part naming that category's resources or
 * the stack's shared ones, never another category's. What the real catalog packages into is proven on the packaged
 * template (serverless.test.ts) and for an added category (add-category.test.ts).
 */
import { fc, it as property } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { categoryResources } from '../../template/categories.js';
import { categoryFunction } from '../../template/category-parts.js';
import { CategoryNameError } from '../../template/errors.js';
import { checkCategoryName } from '../../template/logical-ids.js';
import type { Stack } from '../../template/stack.js';

const STACK: Stack = {
  prefix: 'svc-dev',
  eventsTopicName: 'svc-dev-events',
  lambdaTrust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
};
/** Resources every category's parts may name: the stack's own, not a category's. */
const SHARED = ['StreamEventsTopic', 'IdempotencyTable', 'RejectedDeliveriesQueue', 'OperatorAlarmsTopic'];
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
  property.prop([fc.uniqueArray(categoryName, { minLength: 1, maxLength: 8, selector: (name) => name.toLowerCase() })])(
    "builds each category's parts once, each naming only its own category's resources and the stack's",
    (categories) => {
      // Act
      const resources = categoryResources(STACK, categories);

      // Assess
      const partsOf = (id: string) => [
        `${id}SnsSubscriptionStreamEvents`,
        `${id}LambdaPermissionStreamEventsSNS`,
        `${id}DeadLetterQueue`,
        `StreamEventsTo${id}DLQPolicy`,
        `${id}DeadLetterAlarm`,
        `${id}Role`,
      ];
      expect(Object.keys(resources).sort()).toEqual(categories.flatMap((c) => partsOf(logicalIdOf(c))).sort());
      for (const category of categories) {
        const id = logicalIdOf(category);
        const own = [...partsOf(id), `${id}LambdaFunction`];
        for (const part of partsOf(id)) {
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
    for (const name of ['user-groups', 'user_groups', '2fa', '']) {
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

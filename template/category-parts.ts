/**
 * One category's parts, one builder each: its function, its subscription to a topic with SNS's permission to invoke
 * it, its dead-letter queue with SNS's right to redrive there and an alarm on it, and its least-privilege role.
 * template/categories.ts puts them together for every category of shared/catalog.ts.
 *
 * What a failure goes through: Lambda retries an event twice within 6 hours, then the on-failure destination keeps
 * it in the dead-letter queue; a delivery SNS itself could not make reaches the same queue through the
 * subscription's redrive policy. The queue is kept on remove (see RejectedDeliveriesQueue in serverless.yml).
 */
import type { AWS } from '@serverless/typescript';
import { MAXIMUM_MESSAGE_BYTES } from '../shared/queue-limits.js';
import {
  type CloudWatchAlarm,
  getAtt,
  type IamRole,
  type LambdaPermission,
  ref,
  type SnsSubscription,
  type SqsQueue,
  type SqsQueuePolicy,
  sub,
  type Text,
} from './cloudformation.js';
import { LogicalId, type TopicKey } from './logical-ids.js';
import { AwsMetric, queueMetric } from './metrics.js';
import { operatorAlarm } from './operator-alarm.js';
import type { Stack } from './stack.js';

/** A function as serverless.yml's `functions` defines it. */
export type FunctionDefinition = NonNullable<AWS['functions']>[string];

/** Lambda's retries of an asynchronous invocation, and how long it keeps trying. */
const RETRIES = { maximumRetryAttempts: 2, maximumEventAge: 6 * 60 * 60 } as const;
/**
 * SQS's longest retention (14 days) and the queues' one message size (shared/queue-limits.ts, 1 MiB: a failure
 * record wraps the whole SNS event).
 */
const KEPT = { MessageRetentionPeriod: 14 * 24 * 60 * 60, MaximumMessageSize: MAXIMUM_MESSAGE_BYTES } as const;

/** The deployed names of a category's parts. */
export const nameOf = {
  function: (stack: Stack, category: string) => `${stack.prefix}-${category}`,
  deadLetterQueue: (stack: Stack, category: string) => `${stack.prefix}-${category}-dlq`,
};

/**
 * The category's function: its handler file, its own role, and failures after two retries to its dead-letter queue.
 * (osls names the function `<prefix>-<category>` and makes its log group and invoke configuration.)
 */
export function categoryFunction(category: string): FunctionDefinition {
  return {
    handler: `functions/${category}/handler.handler`,
    description: `Stream Chat events of category ${category} (shared/catalog.ts)`,
    role: LogicalId.role(category),
    ...RETRIES,
    destinations: { onFailure: { type: 'sqs', arn: getAtt(LogicalId.deadLetterQueue(category), 'Arn') } },
  };
}

/** The function's subscription to a topic; what SNS cannot deliver goes to the function's dead-letter queue. */
export function subscription(category: string, topic: TopicKey): SnsSubscription {
  return {
    Type: 'AWS::SNS::Subscription',
    Properties: {
      TopicArn: ref(LogicalId.topic(topic)),
      Protocol: 'lambda',
      Endpoint: getAtt(LogicalId.function(category), 'Arn'),
      RedrivePolicy: { deadLetterTargetArn: getAtt(LogicalId.deadLetterQueue(category), 'Arn') },
    },
  };
}

/** SNS may invoke the function for deliveries from this topic. */
export function invokePermission(category: string, topic: TopicKey): LambdaPermission {
  return {
    Type: 'AWS::Lambda::Permission',
    Properties: {
      FunctionName: getAtt(LogicalId.function(category), 'Arn'),
      Action: 'lambda:InvokeFunction',
      Principal: 'sns.amazonaws.com',
      SourceArn: ref(LogicalId.topic(topic)),
    },
  };
}

/** Where the category's failures wait for a person: kept on remove and on replacement, encrypted, 14 days. */
export function deadLetterQueue(stack: Stack, category: string): SqsQueue {
  return {
    Type: 'AWS::SQS::Queue',
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: { QueueName: nameOf.deadLetterQueue(stack, category), ...KEPT, SqsManagedSseEnabled: true },
  };
}

/**
 * SNS may redrive into the dead-letter queue what it could not deliver from these topics. SQS holds one policy per
 * queue (a second one replaces the first), so each queue has exactly this one, naming every topic that may redrive.
 */
export function redrivePermission(category: string, topicArns: readonly Text[]): SqsQueuePolicy {
  const queue = LogicalId.deadLetterQueue(category);
  return {
    Type: 'AWS::SQS::QueuePolicy',
    Properties: {
      PolicyDocument: {
        Version: '2012-10-17',
        Id: LogicalId.redrivePermission(category),
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: getAtt(queue, 'Arn'),
            Condition: { ArnEquals: { 'aws:SourceArn': topicArns.length === 1 ? topicArns[0]! : [...topicArns] } },
          },
        ],
      },
      Queues: [ref(queue)],
    },
  };
}

/** Fires, to the operator alarms topic, as soon as one failed event waits in the dead-letter queue. */
export function deadLetterAlarm(stack: Stack, category: string): CloudWatchAlarm {
  const queueName = nameOf.deadLetterQueue(stack, category);
  return operatorAlarm({
    name: queueName,
    description: `Failed ${category} events are waiting in their dead-letter queue`,
    metric: queueMetric(queueName, AwsMetric.sqs.visible),
    statistic: 'Maximum',
  });
}

/**
 * The function's own least-privilege role: its log group; on the idempotency table, the four item actions
 * Powertools idempotency makes (PutItem to take the lock, GetItem when a taken lock's record does not come back
 * with the refusal, UpdateItem to complete, DeleteItem to release it on failure); the rejected-deliveries queue;
 * its own dead-letter queue. Nothing else.
 */
export function role(stack: Stack, category: string): IamRole {
  const logGroup = `/aws/lambda/${nameOf.function(stack, category)}`;
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: stack.lambdaTrust,
      Policies: [
        {
          PolicyName: category,
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: sub(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${logGroup}:*`),
              },
              {
                Effect: 'Allow',
                Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
                Resource: getAtt('IdempotencyTable', 'Arn'),
              },
              { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: getAtt('RejectedDeliveriesQueue', 'Arn') },
              { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: getAtt(LogicalId.deadLetterQueue(category), 'Arn') },
            ],
          },
        },
      ],
    },
  };
}

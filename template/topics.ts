/**
 * The topics Stream publishes to, one builder per part: in single-topic mode the events topic alone; in
 * per-category mode also one topic per named category (shared/routing.ts names it). Every topic has the same policy
 * and the same two alarms on SNS's deliveries.
 */
import type { Category } from '../shared/catalog.js';
import { categoryTopic, type DeliveryTopic, NAMED_CATEGORIES, RoutingMode } from '../shared/routing.js';
import { type CloudWatchAlarm, onlyIf, ref, type SnsTopic, type SnsTopicPolicy } from './cloudformation.js';
import { categoryTopicKey, EVENTS_TOPIC, LogicalId, type TopicKey } from './logical-ids.js';
import { AwsMetric } from './metrics.js';
import { operatorAlarm } from './operator-alarm.js';
import type { Stack } from './stack.js';

/** A topic of the stack. */
export interface StackTopic extends TopicKey {
  /** Its name: the events topic's, or `<events topic name>-<category>`. */
  name: string;
  /** Which topic it is, as routing (and a function, by the delivery's TopicArn) tells them apart. */
  delivery: DeliveryTopic;
}

/** The topics of the stack's routing mode: the events topic first, then the named categories' in catalog order. */
export function topicsOf(stack: Stack): StackTopic[] {
  const events: StackTopic = { ...EVENTS_TOPIC, name: stack.eventsTopicName, delivery: { kind: 'events' } };
  if (stack.routing.mode === RoutingMode.SingleTopic) return [events];
  return [events, ...NAMED_CATEGORIES.map((category) => categoryStackTopic(stack, category))];
}

/**
 * The category's own topic in per-category mode, whatever mode the stack is in (what may redrive to its
 * dead-letter queue does not change with the mode); none for `other`, which is on the events topic.
 */
export function ownTopicOf(stack: Stack, category: Category): StackTopic | undefined {
  const named = NAMED_CATEGORIES.find((candidate) => candidate === category);
  return named === undefined ? undefined : categoryStackTopic(stack, named);
}

function categoryStackTopic(stack: Stack, category: (typeof NAMED_CATEGORIES)[number]): StackTopic {
  return { ...categoryTopicKey(category), name: categoryTopic(stack.eventsTopicName, category), delivery: { kind: 'category', category } };
}

/**
 * A named category's own topic (the events topic is StreamEventsTopic in serverless.yml), encrypted as the events
 * topic is: with param topicKmsKey, under that customer-managed key (condition TopicEncrypted; keys auth only,
 * template/plugin.ts refuses it with resource auth).
 */
export function topic(stack: Stack, stackTopic: StackTopic): SnsTopic {
  return {
    Type: 'AWS::SNS::Topic',
    Properties: { TopicName: stackTopic.name, KmsMasterKeyId: onlyIf('TopicEncrypted', stack.topicKmsKey) },
  };
}

/**
 * Who may publish to the topic: with resource auth, Stream's AWS account, and only SNS:Publish; under keys auth, the
 * publisher user's own policy grants it (serverless.yml, StreamPublisherUser). Nobody may publish over plain HTTP.
 */
export function topicPolicy(stack: Stack, stackTopic: StackTopic): SnsTopicPolicy {
  const arn = ref(LogicalId.topic(stackTopic));
  return {
    Type: 'AWS::SNS::TopicPolicy',
    Properties: {
      Topics: [arn],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          onlyIf('ResourceAuth', {
            Sid: 'StreamPublishes',
            Effect: 'Allow',
            Principal: { AWS: stack.streamAccount },
            Action: 'SNS:Publish',
            Resource: arn,
          }),
          {
            Sid: 'DenyPlainHttp',
            Effect: 'Deny',
            Principal: '*',
            Action: 'SNS:Publish',
            Resource: arn,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    },
  };
}

/** The two ways SNS can fail a delivery from a topic, each with its alarm. */
export const DeliveryFailure = {
  /** SNS could not deliver to a subscriber (the delivery then goes to that subscriber's dead-letter queue). */
  NotificationsFailed: {
    metricName: 'NumberOfNotificationsFailed',
    nameSuffix: 'notifications-failed',
    description: 'SNS could not deliver events to a subscriber (a function, or the archive); they went to its dead-letter queue',
  },
  /** SNS could not move an undeliverable event to the dead-letter queue: the event is lost. */
  RedriveFailed: {
    metricName: 'NumberOfNotificationsFailedToRedriveToDlq',
    nameSuffix: 'redrive-failed',
    description: 'SNS could not move undeliverable events to a dead-letter queue: they are lost',
  },
} as const;

/** A kind of {@link DeliveryFailure}. */
export type DeliveryFailure = keyof typeof DeliveryFailure;

/** Fires, to the operator alarms topic, when SNS failed one delivery of this kind from the topic within 5 minutes. */
export function deliveryFailureAlarm(stackTopic: StackTopic, failure: DeliveryFailure): CloudWatchAlarm {
  const { metricName, nameSuffix, description } = DeliveryFailure[failure];
  return operatorAlarm({
    name: `${stackTopic.name}-${nameSuffix}`,
    description: `${description} (topic ${stackTopic.name})`,
    metric: { Namespace: AwsMetric.sns.namespace, MetricName: metricName, Dimensions: [{ Name: 'TopicName', Value: stackTopic.name }] },
    statistic: 'Sum',
  });
}

/**
 * The logical id of every per-category and per-topic resource. A deployed stack updates in place only while these
 * stay the same, so they are written once, here: the resources osls makes from a function definition (the
 * function, its invoke configuration) have the ids osls gives them, and the resources template/ builds keep the
 * ids osls gave them when it built them from `sns` events, before template/ did.
 *
 * Limitation: osls's `getNormalizedFunctionName` also rewrites `-` and `_`; a category name has neither
 * ({@link checkCategoryName}), so its logical-id form is the name with its first letter in upper case.
 */
import { CategoryNameError } from './errors.js';

const CATEGORY_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * Refuses a category name that cannot name a function, a queue and CloudFormation logical ids alike: only a letter
 * followed by letters and digits reads the same in all three.
 */
export function checkCategoryName(category: string): void {
  if (!CATEGORY_NAME.test(category)) {
    throw new CategoryNameError(category, 'use a letter followed by letters and digits (for example "reminders")');
  }
  if (RESERVED_NAMES.includes(category.toLowerCase())) {
    throw new CategoryNameError(
      category,
      `"${category}" names a part of the stack already (the setup function, the archive's queue): choose another name`,
    );
  }
}

/** osls's logical-id form of a function name: `messages` becomes `Messages` (`MessagesLambdaFunction`). */
export function logicalIdOf(category: string): string {
  return category[0]!.toUpperCase() + category.slice(1);
}

/**
 * A topic as logical ids name it: `key` is what osls made of an `sns` event's `topicName` (`StreamEvents`), and the
 * topic's own resource is `<key>Topic`.
 */
export interface TopicKey {
  key: string;
}

/** The events topic, `StreamEventsTopic`. */
export const EVENTS_TOPIC: TopicKey = { key: 'StreamEvents' };

/** A named category's own topic: `MessagesEventsTopic`. */
export const categoryTopicKey = (category: string): TopicKey => ({ key: `${logicalIdOf(category)}Events` });

/** The logical ids of one category's parts. */
export const LogicalId = {
  /** The function (osls's). */
  function: (category: string) => `${logicalIdOf(category)}LambdaFunction`,
  /** Its retries and on-failure destination (osls's). */
  invokeConfig: (category: string) => `${logicalIdOf(category)}LambdaEvConf`,
  role: (category: string) => `${logicalIdOf(category)}Role`,
  deadLetterQueue: (category: string) => `${logicalIdOf(category)}DeadLetterQueue`,
  deadLetterAlarm: (category: string) => `${logicalIdOf(category)}DeadLetterAlarm`,
  /** The function's subscription to a topic. */
  subscription: (category: string, topic: TopicKey) => `${logicalIdOf(category)}SnsSubscription${topic.key}`,
  /** SNS's permission to invoke the function from a topic. */
  invokePermission: (category: string, topic: TopicKey) => `${logicalIdOf(category)}LambdaPermission${topic.key}SNS`,
  /** SNS's right to redrive into the function's dead-letter queue. */
  redrivePermission: (category: string) => `${EVENTS_TOPIC.key}To${logicalIdOf(category)}DLQPolicy`,
  /** A topic. */
  topic: (topic: TopicKey) => `${topic.key}Topic`,
  /** A topic's policy. */
  topicPolicy: (topic: TopicKey) => `${topic.key}TopicPolicy`,
  /** An alarm on a topic's deliveries (`NotificationsFailed`, `RedriveFailed`). */
  topicAlarm: (topic: TopicKey, alarm: string) => `${topic.key}${alarm}Alarm`,
  /** An alarm on the category's function: its events' age, its throttles, its error rate. */
  functionAlarm: (category: string, alarm: 'EventAge' | 'Throttles' | 'ErrorRate') => `${logicalIdOf(category)}${alarm}Alarm`,
  /** The archive's subscription to a topic. */
  archiveSubscription: (topic: TopicKey) => `ArchiveSnsSubscription${topic.key}`,
} as const;

/** The logical ids of the stack's one-of-a-kind operating parts: the dashboard, and the archive's resources. */
export const OperateId = {
  dashboard: 'OperatorDashboard',
  archiveBucket: 'ArchiveBucket',
  archiveBucketPolicy: 'ArchiveBucketPolicy',
  archiveDeliveryStream: 'ArchiveDeliveryStream',
  /** The role Firehose assumes to write to the bucket and its log stream. */
  archiveDeliveryRole: 'ArchiveDeliveryRole',
  /** The role SNS assumes to put records into the delivery stream. */
  archiveSubscriptionRole: 'ArchiveSubscriptionRole',
  archiveLogGroup: 'ArchiveDeliveryLogGroup',
  archiveLogStream: 'ArchiveDeliveryLogStream',
  archiveFreshnessAlarm: 'ArchiveFreshnessAlarm',
} as const;

/**
 * What the archive's dead-letter queue, its redrive permission and its alarm are named after, as a category's are
 * (`ArchiveDeadLetterQueue`, `<service>-<stage>-archive-dlq`): no category may take the name.
 */
export const ARCHIVE = 'archive';

/** Names a category cannot take: the setup function's, and the archive's queue. */
const RESERVED_NAMES: readonly string[] = ['setup', ARCHIVE];

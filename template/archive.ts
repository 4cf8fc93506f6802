/**
 * The archive (param `archive`, on by default): every event Stream publishes, kept once, as SNS delivered it, in an
 * S3 bucket of the stack, for `archiveDays` days. SNS hands each message to Amazon Data Firehose (a `firehose`
 * subscription), which writes gzip objects of newline-delimited SNS messages under
 * `events/dt=<yyyy-MM-dd>/hour=<HH>/` (Firehose's arrival time, UTC). One builder per part.
 *
 * What a record is, from AWS's documentation:
 * - With raw message delivery off (`RawMessageDelivery: false`), SNS sends a Firehose endpoint the JSON envelope
 *   (`Type`, `MessageId`, `TopicArn`, `Subject`, `Message`, `Timestamp`, `UnsubscribeURL`, `MessageAttributes`);
 *   on, only the message body, without its id or time
 *   (https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html). Off keeps `MessageId`,
 *   `Timestamp` and `Message` exactly as a function receives them.
 * - SNS's archived messages in S3 are separated by line breaks
 *   (https://docs.aws.amazon.com/sns/latest/dg/firehose-archived-message-format-S3.html): SNS delimits each record
 *   itself, so the delivery stream adds no delimiter (Firehose's AppendDelimiterToRecord would add a second one).
 *
 * Where it subscribes, so that each event is archived once: to the events topic alone when that topic receives every
 * event (single-topic mode; per-category mode with the catch-all's empty list), else to every topic of the stack
 * (`catchAll: false`, or a narrowed `streamEventTypes`: the hooks' lists are then disjoint, shared/routing.ts).
 *
 * Limitation: SNS retries a failing Firehose delivery for days and then moves it to the archive's dead-letter queue;
 * Firehose keeps a record it cannot write to S3 for 24 hours, then drops it. Both have an alarm.
 */
import { RoutingMode, wantedHooks } from '../shared/routing.js';
import { deadLetterQueue, nameOf, redrivePermission } from './category-parts.js';
import {
  type CloudWatchAlarm,
  type FirehoseDeliveryStream,
  getAtt,
  type IamRole,
  type LogGroup,
  type LogStream,
  type Output,
  type Resources,
  ref,
  type S3Bucket,
  type S3BucketPolicy,
  type SnsSubscription,
  sub,
  type Text,
} from './cloudformation.js';
import { ARCHIVE, LogicalId, OperateId } from './logical-ids.js';
import { AwsMetric, queueMetric } from './metrics.js';
import { operatorAlarm } from './operator-alarm.js';
import type { Stack } from './stack.js';
import { type StackTopic, topicsOf } from './topics.js';

/** How long Firehose gathers records before it writes an object, and how much at most (before compression). */
export const ARCHIVE_BUFFER = { IntervalInSeconds: 300, SizeInMBs: 64 } as const;

/** The objects' keys: by date and hour of arrival, so that a time range is a few prefixes to list. */
export const ARCHIVE_PREFIX = 'events/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/';
/** Records Firehose could not write, by kind of failure (Firehose requires the kind in the prefix). */
const ERROR_PREFIX = 'errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/';

/** The delivery stream's name (at most 64 characters: template/resource-names.ts checks it). */
export const deliveryStreamName = (stack: Stack) => `${stack.prefix}-${ARCHIVE}`;
const logGroupName = (stack: Stack) => `/aws/kinesisfirehose/${deliveryStreamName(stack)}`;
const LOG_STREAM = 'DestinationDelivery';

/** The topics the archive subscribes to: the one that receives every event, else all of them. */
export function archivedTopics(stack: Stack): StackTopic[] {
  const topics = topicsOf(stack);
  const hooks = wantedHooks(`arn:aws:sns:us-east-1:000000000000:${stack.eventsTopicName}`, stack.routing);
  const everyEvent = hooks.find((hook) => hook.eventTypes.length === 0);
  if (everyEvent === undefined) return topics;
  return topics.filter((stackTopic) => everyEvent.topicArn.endsWith(`:${stackTopic.name}`));
}

/** Every part of the archive, or none when the parameter turns it off. */
export function archiveResources(stack: Stack): Resources {
  if (!stack.operate.archive) return {};
  return {
    [OperateId.archiveBucket]: bucket(stack),
    [OperateId.archiveBucketPolicy]: bucketPolicy(),
    [OperateId.archiveLogGroup]: deliveryLogGroup(stack),
    [OperateId.archiveLogStream]: deliveryLogStream(),
    [OperateId.archiveDeliveryRole]: deliveryRole(stack),
    [OperateId.archiveDeliveryStream]: deliveryStream(stack),
    [OperateId.archiveSubscriptionRole]: subscriptionRole(),
    ...Object.fromEntries(
      archivedTopics(stack).map((stackTopic) => [LogicalId.archiveSubscription(stackTopic), archiveSubscription(stackTopic)]),
    ),
    [LogicalId.deadLetterQueue(ARCHIVE)]: deadLetterQueue(stack, ARCHIVE),
    [LogicalId.redrivePermission(ARCHIVE)]: redrivePermission(ARCHIVE, everyTopicArn(stack)),
    [LogicalId.deadLetterAlarm(ARCHIVE)]: deadLetterAlarm(stack),
    [OperateId.archiveFreshnessAlarm]: freshnessAlarm(stack),
  };
}

/** The archive's outputs: the bucket to read (and reprocess) from. */
export function archiveOutputs(stack: Stack): Record<string, Output> {
  if (!stack.operate.archive) return {};
  return {
    ArchiveBucketName: {
      Description: 'The bucket every Stream event is archived in (docs/operate.md, Archive)',
      Value: ref(OperateId.archiveBucket),
    },
  };
}

/** What the hook waits for: Stream publishes only once the archive can take its events. */
export function archiveDependencies(stack: Stack): string[] {
  if (!stack.operate.archive) return [];
  return [...archivedTopics(stack).map((stackTopic) => LogicalId.archiveSubscription(stackTopic)), LogicalId.redrivePermission(ARCHIVE)];
}

/**
 * The bucket: encrypted (SSE-S3), no public access whatever a policy or ACL says, ACLs off, every object expired
 * after `archiveDays`. Kept on `sls remove` and on replacement, like the queues: what it holds is the customer's.
 * CloudFormation names it (a bucket name is global across AWS accounts; a fixed one could be taken).
 */
export function bucket(stack: Stack): S3Bucket {
  return {
    Type: 'AWS::S3::Bucket',
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: `expire-after-${stack.operate.archiveDays}-days`,
            Status: 'Enabled',
            ExpirationInDays: stack.operate.archiveDays,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
    },
  };
}

/** Nobody reaches the bucket over plain HTTP. */
export function bucketPolicy(): S3BucketPolicy {
  const arn = getAtt(OperateId.archiveBucket, 'Arn');
  return {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: ref(OperateId.archiveBucket),
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyPlainHttp',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [arn, sub(`\${${OperateId.archiveBucket}.Arn}/*`)],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    },
  };
}

/** Where Firehose says why it could not write an object (30 days, as the functions' logs). */
function deliveryLogGroup(stack: Stack): LogGroup {
  return { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: logGroupName(stack), RetentionInDays: 30 } };
}

function deliveryLogStream(): LogStream {
  return { Type: 'AWS::Logs::LogStream', Properties: { LogGroupName: ref(OperateId.archiveLogGroup), LogStreamName: LOG_STREAM } };
}

/**
 * What Firehose may do: write objects to the bucket (the actions AWS lists for an S3 destination) and its error lines
 * to its log stream; it assumes the role only for this account (AWS's confused-deputy guard, `sts:ExternalId`).
 */
export function deliveryRole(stack: Stack): IamRole {
  const bucketArn = getAtt(OperateId.archiveBucket, 'Arn');
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'firehose.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': ref('AWS::AccountId') } },
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'archive-delivery',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: [
                  's3:AbortMultipartUpload',
                  's3:GetBucketLocation',
                  's3:GetObject',
                  's3:ListBucket',
                  's3:ListBucketMultipartUploads',
                  's3:PutObject',
                ],
                Resource: [bucketArn, sub(`\${${OperateId.archiveBucket}.Arn}/*`)],
              },
              {
                Effect: 'Allow',
                Action: 'logs:PutLogEvents',
                Resource: sub(
                  `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${logGroupName(stack)}:log-stream:${LOG_STREAM}`,
                ),
              },
            ],
          },
        },
      ],
    },
  };
}

/** The delivery stream: gzip objects by date and hour, its buffer encrypted at rest with a key AWS owns. */
export function deliveryStream(stack: Stack): FirehoseDeliveryStream {
  return {
    Type: 'AWS::KinesisFirehose::DeliveryStream',
    Properties: {
      DeliveryStreamName: deliveryStreamName(stack),
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      ExtendedS3DestinationConfiguration: {
        BucketARN: getAtt(OperateId.archiveBucket, 'Arn'),
        RoleARN: getAtt(OperateId.archiveDeliveryRole, 'Arn'),
        Prefix: ARCHIVE_PREFIX,
        ErrorOutputPrefix: ERROR_PREFIX,
        CompressionFormat: 'GZIP',
        BufferingHints: { ...ARCHIVE_BUFFER },
        CloudWatchLoggingOptions: { Enabled: true, LogGroupName: logGroupName(stack), LogStreamName: LOG_STREAM },
      },
    },
  };
}

/** The role SNS assumes to put records into the delivery stream: the actions AWS recommends, on this stream only. */
export function subscriptionRole(): IamRole {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      Policies: [
        {
          PolicyName: 'archive-subscription',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: [
                  'firehose:DescribeDeliveryStream',
                  'firehose:ListDeliveryStreams',
                  'firehose:ListTagsForDeliveryStream',
                  'firehose:PutRecord',
                  'firehose:PutRecordBatch',
                ],
                Resource: getAtt(OperateId.archiveDeliveryStream, 'Arn'),
              },
            ],
          },
        },
      ],
    },
  };
}

/** The archive's subscription to a topic: the SNS envelope, not the raw body; what SNS gives up on, to the queue. */
export function archiveSubscription(stackTopic: StackTopic): SnsSubscription {
  return {
    Type: 'AWS::SNS::Subscription',
    Properties: {
      TopicArn: ref(LogicalId.topic(stackTopic)),
      Protocol: 'firehose',
      Endpoint: getAtt(OperateId.archiveDeliveryStream, 'Arn'),
      SubscriptionRoleArn: getAtt(OperateId.archiveSubscriptionRole, 'Arn'),
      RawMessageDelivery: false,
      RedrivePolicy: { deadLetterTargetArn: getAtt(LogicalId.deadLetterQueue(ARCHIVE), 'Arn') },
    },
  };
}

/**
 * Every topic that may redrive to the archive's queue, by ARN and the same in every mode (as a category's queue
 * policy), so that a switch of mode or catch-all never changes it.
 */
function everyTopicArn(stack: Stack): Text[] {
  const perCategory = topicsOf({ ...stack, routing: { ...stack.routing, mode: RoutingMode.PerCategory } });
  return perCategory.map((stackTopic) => sub(`arn:\${AWS::Partition}:sns:\${AWS::Region}:\${AWS::AccountId}:${stackTopic.name}`));
}

/** Fires as soon as one event SNS could not archive waits in the archive's dead-letter queue. */
function deadLetterAlarm(stack: Stack): CloudWatchAlarm {
  const queueName = nameOf.deadLetterQueue(stack, ARCHIVE);
  return operatorAlarm({
    name: queueName,
    description: 'SNS could not hand events to the archive after its retries: they wait in the archive dead-letter queue (docs/operate.md)',
    metric: queueMetric(queueName, AwsMetric.sqs.visible),
    statistic: 'Maximum',
  });
}

/**
 * Fires when the oldest record Firehose holds has waited more than three buffer intervals (15 minutes) to be written
 * to the bucket: writes are failing (the bucket, its policy or the role), and Firehose drops a record after 24 hours.
 */
function freshnessAlarm(stack: Stack): CloudWatchAlarm {
  return operatorAlarm({
    name: `${deliveryStreamName(stack)}-freshness`,
    description: 'Firehose has not written archived events to the bucket for 15 minutes; it drops them after 24 hours (docs/operate.md)',
    metric: {
      Namespace: AwsMetric.firehose.namespace,
      MetricName: AwsMetric.firehose.freshness,
      Dimensions: [{ Name: 'DeliveryStreamName', Value: deliveryStreamName(stack) }],
    },
    statistic: 'Maximum',
    threshold: 3 * ARCHIVE_BUFFER.IntervalInSeconds,
  });
}

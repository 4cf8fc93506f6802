/**
 * The CloudFormation this template writes in TypeScript: the intrinsic functions it uses and the resource types it
 * builds for each category and each topic, with the properties it sets. Each builder in template/ returns one of
 * these, so that the code reads like the resource it makes.
 *
 * Hand-written on purpose, and small: cloudform-types 7.5 (the typed library for this) has no `UpdateReplacePolicy`,
 * which every dead-letter queue needs, writes `Fn::Sub` without variables as `[text, null]`, which CloudFormation
 * rejects, and makes intrinsic functions class instances rather than the plain objects osls merges. The shapes here
 * are only as wide as the template uses; that every property exists in CloudFormation, with its type, is proven on
 * the packaged template against AWS's own resource specification (test/support/cloudformation-spec.ts).
 *
 * Limitation: a type here lists only the properties this template sets; add one when a builder needs it.
 */
import type { AwsCfGetAtt, AwsCfRef, AwsCfSub } from '@serverless/typescript';

/** `!Ref logicalId`. */
export type Ref = AwsCfRef;
/** `!GetAtt logicalId.attribute`. */
export type GetAtt = AwsCfGetAtt & { 'Fn::GetAtt': [string, string] };
/** `!Sub text` (the text's `${AWS::Region}` and the like are CloudFormation's own variables). */
export type Sub = AwsCfSub & { 'Fn::Sub': string };
/** A string, or what CloudFormation resolves to one. */
export type Text = string | Ref | GetAtt | Sub;

/** `!Ref logicalId`: a topic's ARN, a queue's URL, a function's name. */
export const ref = (logicalId: string): Ref => ({ Ref: logicalId });
/** `!GetAtt logicalId.attribute`. */
export const getAtt = (logicalId: string, attribute: string): GetAtt => ({ 'Fn::GetAtt': [logicalId, attribute] });
/** `!Sub text`. */
export const sub = (text: string): Sub => ({ 'Fn::Sub': text });

/** `!Ref AWS::NoValue`: the property or list item is left out. */
export type NoValue = { Ref: 'AWS::NoValue' };
/** `!If [condition, then, else]`. */
export type If<T> = { 'Fn::If': [string, T, T | NoValue] };
/** `!If [condition, value, !Ref AWS::NoValue]`: the value only where the template's condition holds. */
export const onlyIf = <T>(condition: string, value: T): If<T> => ({ 'Fn::If': [condition, value, { Ref: 'AWS::NoValue' }] });

/** One statement of an IAM, SNS or SQS policy. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { AWS: Text } | { Service: string };
  Action: string | string[];
  /** Left out only in a trust policy, whose statements name who may assume the role. */
  Resource?: Text | Text[];
  Condition?: Record<string, Record<string, Text | Text[]>>;
}

/** A policy document; a statement may hold only where a condition of the template does. */
export interface PolicyDocument {
  Version: '2012-10-17';
  Id?: string;
  Statement: Array<PolicyStatement | If<PolicyStatement>>;
}

/** A resource of a template: its type, its properties and the attributes this template uses. */
interface Resource<Type extends string, Properties> {
  Type: Type;
  DeletionPolicy?: 'Delete' | 'Retain';
  UpdateReplacePolicy?: 'Delete' | 'Retain';
  Properties: Properties;
}

export type SnsTopic = Resource<'AWS::SNS::Topic', { TopicName: string; KmsMasterKeyId?: If<string> }>;

export type SnsTopicPolicy = Resource<'AWS::SNS::TopicPolicy', { Topics: Text[]; PolicyDocument: PolicyDocument }>;

/** A function's subscription, or the archive's (`firehose`, with the role SNS assumes to put records). */
export type SnsSubscription = Resource<
  'AWS::SNS::Subscription',
  | { TopicArn: Text; Protocol: 'lambda'; Endpoint: Text; RedrivePolicy: { deadLetterTargetArn: Text } }
  | {
      TopicArn: Text;
      Protocol: 'firehose';
      Endpoint: Text;
      SubscriptionRoleArn: Text;
      RawMessageDelivery: boolean;
      RedrivePolicy: { deadLetterTargetArn: Text };
    }
>;

export type LambdaPermission = Resource<
  'AWS::Lambda::Permission',
  { FunctionName: Text; Action: 'lambda:InvokeFunction'; Principal: string; SourceArn: Text }
>;

export type SqsQueue = Resource<
  'AWS::SQS::Queue',
  { QueueName: string; MessageRetentionPeriod: number; MaximumMessageSize: number; SqsManagedSseEnabled: boolean }
>;

export type SqsQueuePolicy = Resource<'AWS::SQS::QueuePolicy', { PolicyDocument: PolicyDocument; Queues: Text[] }>;

/** A metric with its dimensions, as an alarm or a metric-math alarm's input names it. */
export interface AlarmMetric {
  Namespace: string;
  MetricName: string;
  Dimensions: Array<{ Name: string; Value: string }>;
}

/** What every alarm of this template sets, whatever it watches. */
interface AlarmProperties {
  AlarmName: string;
  AlarmDescription: string;
  EvaluationPeriods: number;
  Threshold: number;
  ComparisonOperator: 'GreaterThanThreshold';
  TreatMissingData: 'notBreaching';
  AlarmActions: Text[];
}

/** An alarm on one metric's statistic (`Sum`, `Maximum`) or percentile (`p99`). */
export type MetricAlarmProperties = AlarmProperties &
  AlarmMetric & { Period: number } & ({ Statistic: 'Maximum' | 'Sum' } | { ExtendedStatistic: `p${number}` });

/** An alarm on a metric-math expression over several metrics (the one with `ReturnData: true`). */
export type MathAlarmProperties = AlarmProperties & {
  Metrics: Array<
    | { Id: string; MetricStat: { Metric: AlarmMetric; Period: number; Stat: 'Sum' }; ReturnData: false }
    | { Id: string; Expression: string; Label: string; ReturnData: true }
  >;
};

export type CloudWatchAlarm = Resource<'AWS::CloudWatch::Alarm', MetricAlarmProperties | MathAlarmProperties>;

/** A dashboard; its body is JSON text, with the region and account filled in by `!Sub`. */
export type CloudWatchDashboard = Resource<'AWS::CloudWatch::Dashboard', { DashboardName: string; DashboardBody: Sub }>;

export type IamRole = Resource<
  'AWS::IAM::Role',
  { AssumeRolePolicyDocument: PolicyDocument; Policies: Array<{ PolicyName: string; PolicyDocument: PolicyDocument }> }
>;

export type S3Bucket = Resource<
  'AWS::S3::Bucket',
  {
    BucketEncryption: {
      ServerSideEncryptionConfiguration: Array<{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }>;
    };
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true;
      BlockPublicPolicy: true;
      IgnorePublicAcls: true;
      RestrictPublicBuckets: true;
    };
    OwnershipControls: { Rules: Array<{ ObjectOwnership: 'BucketOwnerEnforced' }> };
    LifecycleConfiguration: {
      Rules: Array<{
        Id: string;
        Status: 'Enabled';
        ExpirationInDays: number;
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: number };
      }>;
    };
  }
>;

export type S3BucketPolicy = Resource<'AWS::S3::BucketPolicy', { Bucket: Text; PolicyDocument: PolicyDocument }>;

export type LogGroup = Resource<'AWS::Logs::LogGroup', { LogGroupName: string; RetentionInDays: number }>;

export type LogStream = Resource<'AWS::Logs::LogStream', { LogGroupName: Text; LogStreamName: string }>;

export type FirehoseDeliveryStream = Resource<
  'AWS::KinesisFirehose::DeliveryStream',
  {
    DeliveryStreamName: string;
    DeliveryStreamType: 'DirectPut';
    DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' };
    ExtendedS3DestinationConfiguration: {
      BucketARN: Text;
      RoleARN: Text;
      Prefix: string;
      ErrorOutputPrefix: string;
      CompressionFormat: 'GZIP';
      BufferingHints: { IntervalInSeconds: number; SizeInMBs: number };
      CloudWatchLoggingOptions: { Enabled: true; LogGroupName: string; LogStreamName: string };
    };
  }
>;

/** Any resource a builder of this template makes. */
export type TemplateResource =
  | SnsTopic
  | SnsTopicPolicy
  | SnsSubscription
  | LambdaPermission
  | SqsQueue
  | SqsQueuePolicy
  | CloudWatchAlarm
  | CloudWatchDashboard
  | IamRole
  | S3Bucket
  | S3BucketPolicy
  | LogGroup
  | LogStream
  | FirehoseDeliveryStream;

/** Resources by logical id, as `resources.Resources` holds them. */
export type Resources = Record<string, TemplateResource>;

/** A stack output. */
export interface Output {
  Description: string;
  Value: Text;
}

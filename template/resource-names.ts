/**
 * Checks that every name the template gives a resource fits AWS's limit for it, and fails with the names, their
 * lengths and the longest stage that fits when one does not (run by template/plugin.ts when packaging starts).
 *
 * Every name here is `<service>-<stage>-...`, so a long stage name is the usual cause: `serverless package`
 * itself says nothing about it, and the deploy would fail on the first resource CloudFormation creates.
 *
 * Limitation: only names the template sets literally are checked (a name built with an intrinsic function is only
 * known to CloudFormation), and only for the resource types in {@link NAME_LIMITS}, which are the ones this
 * template names; roles and policies are named by CloudFormation, which shortens its names itself.
 */
import { ResourceNamesTooLongError, type TooLongName } from './errors.js';

/** AWS's maximum length of the names this template sets, by resource type. */
const NAME_LIMITS = {
  'AWS::SQS::Queue': { property: 'QueueName', kind: 'SQS queue name', maxLength: 80 },
  'AWS::CloudWatch::Alarm': { property: 'AlarmName', kind: 'CloudWatch alarm name', maxLength: 255 },
  'AWS::SNS::Topic': { property: 'TopicName', kind: 'SNS topic name', maxLength: 256 },
  'AWS::DynamoDB::Table': { property: 'TableName', kind: 'DynamoDB table name', maxLength: 255 },
  'AWS::SecretsManager::Secret': { property: 'Name', kind: 'Secrets Manager secret name', maxLength: 512 },
  'AWS::KinesisFirehose::DeliveryStream': { property: 'DeliveryStreamName', kind: 'Firehose stream name', maxLength: 64 },
  'AWS::CloudWatch::Dashboard': { property: 'DashboardName', kind: 'CloudWatch dashboard name', maxLength: 255 },
  'AWS::Logs::LogGroup': { property: 'LogGroupName', kind: 'CloudWatch Logs log group name', maxLength: 512 },
} as const;

/** Lambda's maximum function name length; osls names each function `<service>-<stage>-<function>`. */
const FUNCTION_NAME = { kind: 'Lambda function name', maxLength: 64 } as const;
/** CloudFormation's maximum stack name length; osls names the stack `<service>-<stage>`. */
const STACK_NAME = { kind: 'CloudFormation stack name', maxLength: 128 } as const;

/** A name the template sets and AWS's limit for it. */
export type ResourceName = TooLongName;

/** The parts of osls's service this check reads. */
export interface Service {
  functions: Record<string, { name?: string }>;
  resources?: { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
}

/** Every literal name the service gives a resource, with its limit. */
export function resourceNames(service: Service, stackName: string): ResourceName[] {
  const functions = Object.values(service.functions)
    .map((fn) => fn.name)
    .filter((name): name is string => typeof name === 'string')
    .map((name) => ({ ...FUNCTION_NAME, name }));
  const resources = Object.values(service.resources?.Resources ?? {}).flatMap((resource) => {
    const limit = Object.hasOwn(NAME_LIMITS, resource.Type ?? '') ? NAME_LIMITS[resource.Type as keyof typeof NAME_LIMITS] : undefined;
    const name = limit && resource.Properties?.[limit.property];
    return limit && typeof name === 'string' ? [{ kind: limit.kind, name, maxLength: limit.maxLength }] : [];
  });
  return [{ ...STACK_NAME, name: stackName }, ...functions, ...resources];
}

/**
 * Throws {@link ResourceNamesTooLongError} when a name is over its limit. The longest stage that fits is worked
 * out from the names holding the stage: each grows by one character per character of stage.
 */
export function checkResourceNames(names: readonly ResourceName[], stage: string): void {
  const tooLong = names.filter(({ name, maxLength }) => name.length > maxLength);
  if (tooLong.length === 0) return;
  const longestStage = Math.min(
    ...names.filter(({ name }) => name.includes(stage)).map(({ name, maxLength }) => maxLength - (name.length - stage.length)),
  );
  throw new ResourceNamesTooLongError(stage, tooLong, longestStage);
}

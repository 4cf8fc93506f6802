/**
 * The topic ARN the setup is given, checked before anything is called: its shape, and whether Stream can publish to
 * a topic of its partition with the chosen auth.
 *
 * - Resource auth: the topic policy lets Stream's AWS account (`arn:aws:iam::185583345998:root`) publish. That
 *   account lives in the `aws` partition, and IAM grants do not cross partitions: only `aws` topics.
 * - Keys auth: Stream publishes with an access key of the topic's own account, so any partition AWS has.
 *
 * The partitions and their region names are AWS's own list (partitions.json of the AWS SDK, read for this; a test
 * compares it with the installed SDK). A partition AWS does not list (`aws-bogus`) is refused.
 */
import { SetupConfigurationError } from './errors.js';

/** The partitions AWS lists, with the shape of their region names. */
export const AWS_PARTITIONS = {
  aws: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
  'aws-cn': /^cn-\w+-\d+$/,
  'aws-eusc': /^eusc-(de)-\w+-\d+$/,
  'aws-iso': /^us-iso-\w+-\d+$/,
  'aws-iso-b': /^us-isob-\w+-\d+$/,
  'aws-iso-e': /^eu-isoe-\w+-\d+$/,
  'aws-iso-f': /^us-isof-\w+-\d+$/,
  'aws-us-gov': /^us-gov-\w+-\d+$/,
} as const satisfies Record<string, RegExp>;

/** The partition of Stream's own AWS account, the only one resource auth can publish from. */
export const STREAM_PARTITION = 'aws';

/** The parts of an SNS topic ARN. */
export interface TopicArn {
  partition: keyof typeof AWS_PARTITIONS;
  region: string;
  account: string;
  name: string;
}

const ARN = /^arn:([a-z0-9-]+):sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/;

/**
 * Reads an SNS topic ARN and checks that Stream can publish to it with `authType`.
 *
 * @throws SetupConfigurationError naming what is wrong; the command turns it into a usage error (exit status 2).
 */
export function parseTopicArn(topicArn: string, authType: 'resource' | 'keys'): TopicArn {
  const match = ARN.exec(topicArn);
  if (match === null) {
    throw new SetupConfigurationError(`"${printable(topicArn)}" is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>).`);
  }
  const [, partition, region, account, name] = match as unknown as [string, string, string, string, string];
  if (!Object.hasOwn(AWS_PARTITIONS, partition)) {
    throw new SetupConfigurationError(`"${partition}" in ${topicArn} is not an AWS partition (${Object.keys(AWS_PARTITIONS).join(', ')}).`);
  }
  if (!AWS_PARTITIONS[partition as TopicArn['partition']].test(region)) {
    throw new SetupConfigurationError(`"${region}" in ${topicArn} is not a region of the ${partition} partition.`);
  }
  if (authType === 'resource' && partition !== STREAM_PARTITION) {
    throw new SetupConfigurationError(
      `Stream cannot publish to ${topicArn} with resource auth: its AWS account is in the ${STREAM_PARTITION} partition, and ` +
        `IAM grants do not cross partitions. Use keys auth (--auth keys, or the parameter snsAuth=keys) for ${partition}.`,
    );
  }
  return { partition: partition as TopicArn['partition'], region, account, name };
}

/** What the user typed, safe to print back: control characters shown as `?`, at most 300 characters. */
function printable(text: string): string {
  const safe = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return safe.length > 300 ? `${safe.slice(0, 300)}…` : safe;
}

/**
 * Where a function runs, read from its own ARN (`context.invokedFunctionArn`). The template keeps environment
 * values literal, so that `serverless invoke local` needs no AWS to resolve them; the ARNs and URLs of the stack's
 * other resources are then built from their literal names and this.
 */

/** The partition, region and account of a Lambda function's ARN (`arn:<partition>:lambda:<region>:<account>:...`). */
export interface FunctionLocation {
  partition: string;
  region: string;
  account: string;
}

/** Reads the partition, region and account from a function's ARN. */
export function functionLocation(invokedFunctionArn: string): FunctionLocation {
  const [, partition = '', , region = '', account = ''] = invokedFunctionArn.split(':');
  return { partition, region, account };
}

import type { Context } from 'aws-lambda';

/** What varies between invocations; every field has a local default. */
export interface LambdaContextOptions {
  functionName?: string;
  functionArn?: string;
  memorySizeMb?: number;
  requestId?: string;
  /** The function's timeout: `getRemainingTimeInMillis` counts down from it. */
  timeoutMs?: number;
}

/** A Lambda context with a real deadline, as the Lambda runtime hands one to each invocation. */
export function lambdaContext(options?: LambdaContextOptions): Context;

/**
 * The environment variables the Lambda runtime sets that Powertools reads: the initialization type `on-demand`
 * (so that Logger's `cold_start` is true on an environment's first invocation), the function's name and memory size.
 */
export function lambdaRuntimeEnvironment(options: { functionName: string; memorySizeMb: number }): {
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand';
  AWS_LAMBDA_FUNCTION_NAME: string;
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: string;
};

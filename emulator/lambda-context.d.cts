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

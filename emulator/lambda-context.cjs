// A Lambda context with a real deadline, as the Lambda runtime hands one to each invocation: the one definition
// used by the local run's execution environments (plain CommonJS, like the bundles they load), the tests and the
// benchmark. Types: lambda-context.d.cts.
'use strict';

exports.lambdaContext = function lambdaContext({
  functionName = 'stream-chat-events-test',
  functionArn = `arn:aws:lambda:us-east-1:111122223333:function:${functionName}`,
  memorySizeMb = 256,
  requestId = `req-${Math.random().toString(16).slice(2)}`,
  timeoutMs = 30_000,
} = {}) {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: String(memorySizeMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

// The variables the Lambda runtime sets in an execution environment that Powertools reads: `on-demand` makes
// Logger report cold_start true on the environment's first invocation (without it Powertools assumes provisioned
// concurrency and says false on every line), and the memory size is the function's own. Used by the local run's
// environments and by `serverless invoke local` (template/invoke-local.ts).
exports.lambdaRuntimeEnvironment = function lambdaRuntimeEnvironment({ functionName, memorySizeMb }) {
  return {
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySizeMb),
  };
};

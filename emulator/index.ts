/**
 * The local Lambda emulator: the template's functions, built as `sls deploy` builds them, run on this machine as
 * Lambda runs them, behind a local SNS fan-out and in front of DynamoDB Local. What it emulates and what not:
 * emulator/README.md.
 *
 * This file is the emulator's whole face: the commands (scripts/), the soak, the benchmark and the tests import
 * it from here and nowhere else, so that its inside can change without them.
 *
 * The four steps of a local run:
 * 1. build: {@link buildSubscribedFunctions} (the real `serverless package`, unpacked);
 * 2. start a local stack: {@link startLocalStack} (DynamoDB Local or a given endpoint, the table, the fan-out);
 * 3. deliver: {@link LocalStack.deliver} and {@link LocalStack.deliverAll}, with deliveries from
 *    {@link readDeliveries} (files) or {@link synthesize} (load);
 * 4. report: {@link summarize} and {@link renderSummary}, or all four at once as a command: {@link runDeliveries}.
 */

// 1. Build
export { type Build, type BuildOptions, type BuiltFunction, buildSubscribedFunctions } from './build.js';
export { bundleLikeDeploy } from './bundle.js';

// 2. A local stack, and its parts
export { type DeliveryResult, type LocalStack, type LocalStackOptions, startLocalStack } from './local-stack.js';
export { type FanOutOptions, type FunctionReport, LocalFanOut } from './fanout.js';
export { type Invocation, type LambdaError, LocalFunction, type LocalFunctionOptions } from './local-function.js';
export { DeadLetterFiles, type FailedInvocation } from './dead-letters.js';
export {
  type DynamoDBLocal,
  type DynamoDBLocalOptions,
  LOCAL_AWS_ENV,
  createIdempotencyTable,
  startDynamoDBLocal,
} from './dynamodb-local.js';
export { type LambdaContextOptions, lambdaContext } from './lambda-context.cjs';

// 3. Deliveries
export type { Delivery } from './local-stack.js';
export {
  DeliveryFileError,
  type SynthesisOptions,
  type SynthesisedDelivery,
  readDeliveries,
  synthesize,
} from './deliveries.js';
export { encodeMessage, snsLambdaEvent, stableMessageId } from './sns-envelope.js';
export { SAMPLES_DIR, samples } from './samples.js';

// 4. Report
export { summarize } from './local-stack.js';
export { renderSummary } from './report.js';
export { progressBar } from './progress.js';
export { FUNCTION_LOG_FILE, type RunDeliveriesOptions, runDeliveries } from './run-deliveries.js';

// The raw serverless.yml, until every reader takes the packaged template instead.
export { idempotencyTableDefinition, readServerlessConfig } from './serverless-config.js';

/**
 * The local Lambda emulator: the template's functions, built as `sls deploy` builds them, run on this machine as
 * Lambda runs them, behind a local SNS fan-out and in front of DynamoDB Local. What it emulates and what not:
 * emulator/README.md.
 *
 * This file is the emulator's whole face: the commands (scripts/), the soak, the benchmark and the tests import
 * it from here and nowhere else, so that its inside can change without them.
 *
 * The four steps of a local run:
 * 1. build: {@link buildService} (the real `serverless package`, unpacked), or {@link openBuild} (a package folder
 *    built before, as `--build <dir>` gives it);
 * 2. start a local stack: {@link startLocalStack} (DynamoDB Local or a given endpoint, the table, the fan-out);
 * 3. deliver: {@link LocalStack.deliver} and {@link LocalStack.deliverAll}, with deliveries from
 *    {@link readDeliveries} (files) or {@link synthesize} (load);
 * 4. report: {@link summarize} and {@link renderSummary}, or all four at once as a command: {@link runDeliveries}.
 */

// 1. Build
export { archivedNotification, archiveObjectKey, LocalArchive } from './archive.js';
export {
  type Build,
  type BuildOptions,
  type BuiltFunction,
  buildService,
  openBuild,
  packageService,
  SERVERLESS_COMPILE_CACHE,
  stagedService,
} from './build.js';
export { bundleLikeDeploy } from './bundle.js';
export { DeadLetterFiles, type FailedInvocation } from './dead-letters.js';
export { type SynthesisedDelivery, type SynthesisOptions, synthesize } from './deliveries.js';
export {
  type DeliveryFiles,
  type FileDelivery,
  FileReading,
  isSnsLambdaEvent,
  readDeliveries,
  type UndeliveredFile,
  UndeliveredReason,
} from './delivery-files.js';
export { type DynamoDBFault, type DynamoDBFaults, startDynamoDBFaults, THROTTLED_MESSAGE } from './dynamodb-faults.js';
export {
  createIdempotencyTable,
  type DynamoDBLocal,
  type DynamoDBLocalOptions,
  LOCAL_AWS_ENV,
  startDynamoDBLocal,
} from './dynamodb-local.js';
// Errors: each means that a run could not happen.
export {
  BuildError,
  DynamoDBLocalError,
  DynamoDBLocalFailure,
  describeError,
  EmulatorError,
  EndpointUnreachableError,
  NotUtf8MessageError,
  networkCauseOf,
  PackagedServiceError,
} from './errors.js';
export { type FanOutOptions, type FunctionReport, LocalFanOut } from './fanout.js';
export { type LambdaContextOptions, lambdaContext, lambdaRuntimeEnvironment } from './lambda-context.cjs';
export { type Invocation, type LambdaError, LocalFunction, type LocalFunctionOptions } from './local-function.js';
// 2b. Routing: Stream's hooks and the stack's topics, as the routing mode makes them
export {
  addressedFrom,
  archivedTopicArns,
  LOCAL_ACCOUNT,
  type LocalRouting,
  localRouting,
  localTopicArn,
  type Publication,
  publicationsOf,
  streamTypeOf,
} from './local-sns.js';

// 3. Deliveries
export type { Delivery } from './local-stack.js';
// 2. A local stack, and its parts
// 4. Report
export {
  DELIVERY_OUTCOMES,
  type DeliveryResult,
  type LocalStack,
  type LocalStackOptions,
  startLocalStack,
  summarize,
} from './local-stack.js';
export {
  type DeployBundling,
  type PackagedFunction,
  type PackagedRouting,
  type PackagedService,
  readPackagedService,
  type TableDefinition,
  TEMPLATE_FILE,
} from './packaged-service.js';
export { progressBar } from './progress.js';
export { renderSummary, routingLabel } from './report.js';
export { FUNCTION_LOG_FILE, functionLogFile, type RunDeliveriesOptions, type RunOutput, runDeliveries } from './run-deliveries.js';
export { EVENTS_DIR, renderSampleEvents, SAMPLES_DIR, samples } from './samples.js';
export { encodeMessage, snsLambdaEvent, stableMessageId, utf8Text } from './sns-envelope.js';

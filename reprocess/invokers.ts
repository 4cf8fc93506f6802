/**
 * How an event reaches the function that owns it: an asynchronous invocation (InvocationType Event), so that the
 * function's own retries and its on-failure destination apply to a reprocessed event as to any other.
 *
 * - In AWS: Lambda's Invoke API through the SDK. An invocation Lambda did not accept because of a throttle, a 5xx,
 *   a timeout or a broken connection is tried again (shared/retry.ts, the SDK's own retries off so that they are
 *   counted); one it refused for another reason (no such function, no permission, payload too large) is not.
 *   Success is Lambda's 202: the event is queued; what the function then does is in its metrics and logs.
 * - Locally: the local run's fan-out invokes the function as Lambda does (emulator/, the same retries and local
 *   dead-letter file), and the function's outcome is known: it is reported.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { LocalStack } from '../emulator/index.js';
import type { Category } from '../shared/catalog.js';
import { retry } from '../shared/retry.js';
import { InvokeRefusedError } from './errors.js';
import type { ReprocessPayload } from './payload.js';

/** What became of one invocation that Lambda accepted. */
export interface Invoked {
  /** The function invoked. */
  target: string;
  /** Attempts made (1 when no retry was needed). */
  attempts: number;
  /** Locally, the function's outcome (`processed`, `duplicate`, `rejected`, `failed: ...`); in AWS, `queued`. */
  detail: string;
}

/** Sends one event to its category's function; throws when the invocation was not accepted. */
export type Invoker = (category: Category, payload: ReprocessPayload) => Promise<Invoked>;

/** How the Invoke calls are made and retried. */
export const INVOKE_SETTINGS = {
  /** Attempts in all for one invocation. */
  attempts: 4,
  /** The first wait after a throttle or 5xx; it doubles. */
  firstDelayMs: 200,
  maxDelayMs: 5_000,
  connectTimeoutMs: 5_000,
  /** An Event invocation answers once queued: seconds at most. */
  callTimeoutMs: 15_000,
} as const;

/** Errors Lambda answers that another attempt may not meet. */
const RETRYABLE_NAMES = new Set([
  'TooManyRequestsException',
  'ServiceException',
  'EC2ThrottledException',
  'ResourceNotReadyException',
  'TimeoutError',
]);

/** Whether an Invoke failure is a throttle, a 5xx, or no answer at all (a timeout, a connection that broke). */
export function isRetryableInvokeFailure(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  if (status !== undefined) return status === 429 || status >= 500 || RETRYABLE_NAMES.has(String(name));
  // No HTTP answer: the request may not have reached Lambda.
  return !(error instanceof InvokeRefusedError);
}

/** The invoker of functions in AWS, named `<functionPrefix><category>`. */
export function lambdaInvoker(functionPrefix: string, region: string | undefined): { invoke: Invoker; close(): void } {
  const lambda = new LambdaClient({
    ...(region === undefined ? {} : { region }),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: INVOKE_SETTINGS.connectTimeoutMs, requestTimeout: INVOKE_SETTINGS.callTimeoutMs },
  });
  const invoke: Invoker = async (category, payload) => {
    const target = `${functionPrefix}${category}`;
    let attempts = 0;
    await retry(
      async (attempt) => {
        attempts = attempt;
        const answer = await lambda.send(
          new InvokeCommand({ FunctionName: target, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }),
        );
        if (answer.StatusCode !== 202)
          throw new InvokeRefusedError(`Lambda answered status ${answer.StatusCode} to an Event invocation, not 202: not queued`);
      },
      {
        operation: `Lambda Invoke ${target}`,
        wait: 'retry after a throttle or a 5xx',
        attempts: INVOKE_SETTINGS.attempts,
        firstDelayMs: INVOKE_SETTINGS.firstDelayMs,
        maxDelayMs: INVOKE_SETTINGS.maxDelayMs,
        retryable: isRetryableInvokeFailure,
      },
    ).catch((error: Error) => {
      const cause = error.cause instanceof Error ? error.cause : error;
      throw Object.assign(new InvokeRefusedError(`${target}: ${cause.name}: ${cause.message}`, { cause }), { attempts });
    });
    return { target, attempts, detail: 'queued' };
  };
  return { invoke, close: () => lambda.destroy() };
}

/** The invoker of the local stack's functions, named by category. */
export function localInvoker(stack: LocalStack): Invoker {
  return async (category, payload) => {
    const report = await stack.fanOut.invokeAsync(category, JSON.stringify(payload));
    if (report === undefined) throw new InvokeRefusedError(`no local function is named ${category}`);
    const detail =
      report.error === undefined
        ? report.result.outcome
        : `failed after ${report.attempts} attempts (${report.error.errorType}: ${report.error.errorMessage}); on-failure record in ${report.deadLetterFile}`;
    return { target: category, attempts: 1, detail };
  };
}

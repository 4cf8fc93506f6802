/**
 * The CloudFormation side of the setup: turns a custom resource request into setup work and always answers
 * CloudFormation, exactly once, before the function's deadline, so that no stack waits an hour for a response.
 *
 * Time: the work gets the function's remaining time minus {@link RESPONSE_MARGIN_MS}, which covers every attempt
 * of the answer itself; a signal tells the work to stop at its deadline. The deployed function has 60 s
 * (serverless.yml), so the work has about 42 s.
 *
 * A Delete that fails still answers SUCCESS with the reason, because a failed Delete would leave the stack stuck
 * in DELETE_FAILED or ROLLBACK_FAILED: the hook then has to be removed by hand (`npm run setup -- --remove`), and
 * the log says so. Every Reason is scrubbed: Stream's messages may echo a request.
 */
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { SecretScrubber } from './masking.js';

/** The answer sent to CloudFormation's response URL. */
export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, string>;
}

/** How the answer is sent: a lost answer leaves the stack waiting, so it is retried. */
const ANSWER = {
  attempts: 3,
  timeoutMs: 4_000,
  retryDelayMs: 500,
} as const;

/**
 * Time kept in hand before the deadline to answer: every attempt of the answer at its time limit, the waits between
 * them, and 1 s for the work to notice its deadline. 15 s.
 */
export const RESPONSE_MARGIN_MS = ANSWER.attempts * ANSWER.timeoutMs + (ANSWER.attempts - 1) * ANSWER.retryDelayMs + 2_000;

/** CloudFormation's limit on the length of a Reason. */
const REASON_LIMIT = 1_000;

/** What the work for a request produced. */
export interface CustomResourceOutcome {
  physicalResourceId: string;
  data?: Record<string, string>;
}

/** Whether a Lambda event is a CloudFormation custom resource request. */
export function isCustomResourceEvent(event: unknown): event is CloudFormationCustomResourceEvent {
  return typeof event === 'object' && event !== null && 'RequestType' in event && 'ResponseURL' in event;
}

/**
 * Runs `work` for the request and answers CloudFormation with its outcome.
 *
 * @param work - does the setup for the request; stops when `signal` aborts (its deadline).
 * @param physicalIdOnFailure - the physical id to answer FAILED with: the rollback's Delete receives it, so it must
 *   let the Delete find what a failed Create may have left.
 */
export async function answerCustomResource(
  event: CloudFormationCustomResourceEvent,
  context: Context,
  work: (signal: AbortSignal) => Promise<CustomResourceOutcome>,
  physicalIdOnFailure: string,
  log: (message: string, details: Record<string, unknown>) => void,
): Promise<CustomResourceResponse> {
  let response: CustomResourceResponse;
  const budget = Math.max(1_000, context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS);
  const deadline = new AbortController();
  try {
    const { physicalResourceId, data } = await withDeadline(work(deadline.signal), budget, deadline);
    response = base('SUCCESS', 'done', physicalResourceId, data);
  } catch (error) {
    const reason = new SecretScrubber().scrub((error as Error).message);
    if (event.RequestType === 'Delete') {
      log('The Stream hook could not be removed; remove it with npm run setup -- --remove', { reason });
      response = base('SUCCESS', `hook not removed: ${reason}`, event.PhysicalResourceId);
    } else {
      response = base('FAILED', reason, physicalIdOnFailure);
    }
  }
  await send(event.ResponseURL, response);
  return response;

  function base(status: CustomResourceResponse['Status'], reason: string, physicalResourceId: string, data?: Record<string, string>): CustomResourceResponse {
    return {
      Status: status,
      Reason: reason.slice(0, REASON_LIMIT),
      PhysicalResourceId: physicalResourceId,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      // JSON leaves out an undefined Data, as CloudFormation expects when there is none.
      Data: data,
    };
  }
}

/** Rejects after `ms` and aborts `controller`, so the work stops instead of writing after the answer. */
async function withDeadline<T>(promise: Promise<T>, ms: number, controller: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`the setup did not finish within ${Math.round(ms / 1000)} s`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** PUTs the answer to the pre-signed S3 URL, within {@link RESPONSE_MARGIN_MS}. */
async function send(url: string, response: CustomResourceResponse): Promise<void> {
  const body = JSON.stringify(response);
  let lastError: unknown;
  for (let attempt = 1; attempt <= ANSWER.attempts; attempt += 1) {
    try {
      // S3 pre-signed URLs reject a Content-Type the signature did not include: send none.
      const answer = await fetch(url, { method: 'PUT', body, headers: { 'content-type': '' }, signal: AbortSignal.timeout(ANSWER.timeoutMs) });
      if (answer.ok) return;
      lastError = new Error(`HTTP ${answer.status}`);
    } catch (error) {
      lastError = error;
    }
    if (attempt < ANSWER.attempts) await new Promise((resolve) => setTimeout(resolve, ANSWER.retryDelayMs));
  }
  throw new Error(`could not answer CloudFormation: ${(lastError as Error).message}`);
}

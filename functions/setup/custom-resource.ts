/**
 * The CloudFormation side of the setup: turns a custom resource request into setup work and always answers
 * CloudFormation, exactly once, before the function's deadline, so that no stack waits for a response.
 *
 * Time: the work gets the function's remaining time minus {@link RESPONSE_MARGIN_MS}, which covers every attempt
 * of the answer itself; a signal tells the work to stop at its deadline. The deployed function has 60 s
 * (serverless.yml), so the work has about 45 s.
 *
 * A Delete that fails still answers SUCCESS with the reason, because a failed Delete would leave the stack stuck
 * in DELETE_FAILED or ROLLBACK_FAILED: the hooks then have to be removed by hand (`npm run setup -- --remove`), and
 * the log says so. The Reason and the Data go through the scrubber: CloudFormation keeps them in the stack's events
 * for 90 days, readable by anyone allowed to describe the stack.
 */
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { retry } from '../../shared/retry.js';
import { RetriesExhaustedError } from '../../shared/retry-errors.js';
import { DEADLINES, type Deadline, deadlineAfter } from './deadlines.js';
import type { SecretScrubber } from './scrubber.js';
import type { SetupWait } from './stream-app.js';

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

/**
 * Time kept in hand before the deadline to answer: every attempt of the answer at its time limit, the waits between
 * them, and 2 s for the work to notice its deadline. 15 s.
 */
export const RESPONSE_MARGIN_MS =
  DEADLINES.answerAttempts * DEADLINES.answerAttemptMs + (DEADLINES.answerAttempts - 1) * DEADLINES.answerRetryDelayMs + 2_000;

/** CloudFormation's limit on the length of a Reason. */
const REASON_LIMIT = 1_000;

/** What the work for a request produced. */
export interface CustomResourceOutcome {
  physicalResourceId: string;
  data?: Record<string, string>;
  /** The Reason of a SUCCESS answer (default `done`). */
  reason?: string;
}

/** How the answer is made: its scrubber, where the failure's log line goes, where its waits are told. */
export interface AnswerOptions {
  scrubber: SecretScrubber;
  log: (message: string, details: Record<string, unknown>) => void;
  onWait: (wait: SetupWait) => void;
}

/** Whether a Lambda event is a CloudFormation custom resource request. */
export function isCustomResourceEvent(event: unknown): event is CloudFormationCustomResourceEvent {
  return typeof event === 'object' && event !== null && 'RequestType' in event && 'ResponseURL' in event;
}

/**
 * Runs `work` for the request and answers CloudFormation with its outcome.
 *
 * @param work - does the setup for the request; stops when its deadline's signal aborts.
 * @param physicalIdOnFailure - the physical id to answer FAILED with, asked once the work has failed: the rollback's
 *   Delete receives it, so it must carry the record of what a failed Create wrote.
 */
export async function answerCustomResource(
  event: CloudFormationCustomResourceEvent,
  context: Context,
  work: (deadline: Deadline) => Promise<CustomResourceOutcome>,
  physicalIdOnFailure: () => string,
  { scrubber, log, onWait }: AnswerOptions,
): Promise<CustomResourceResponse> {
  let response: CustomResourceResponse;
  const budget = Math.max(1_000, context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS);
  const deadline = deadlineAfter(budget, `the setup did not finish within ${Math.round(budget / 1000)} s`);
  try {
    const { physicalResourceId, data, reason } = await withDeadline(work(deadline), deadline);
    response = base('SUCCESS', reason ?? 'done', physicalResourceId, data);
  } catch (error) {
    const reason = scrubber.scrub((error as Error).message);
    if (event.RequestType === 'Delete') {
      log('The Stream hooks could not be removed; remove them with npm run setup -- --remove', { reason });
      response = base('SUCCESS', `hooks not removed: ${reason}`, event.PhysicalResourceId);
    } else {
      response = base('FAILED', reason, physicalIdOnFailure());
    }
  } finally {
    deadline.clear();
  }
  await send(event.ResponseURL, response, onWait);
  return response;

  function base(
    status: CustomResourceResponse['Status'],
    reason: string,
    physicalResourceId: string,
    data?: Record<string, string>,
  ): CustomResourceResponse {
    return {
      Status: status,
      Reason: scrubber.scrub(reason).slice(0, REASON_LIMIT),
      PhysicalResourceId: physicalResourceId,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      // JSON leaves out an undefined Data, as CloudFormation expects when there is none.
      Data: data === undefined ? undefined : scrubber.scrubValue(data),
    };
  }
}

/** Rejects when the deadline aborts, so the work stops instead of writing after the answer. */
async function withDeadline<T>(promise: Promise<T>, deadline: Deadline): Promise<T> {
  const cut = new Promise<never>((_, reject) => {
    const abort = () => reject(deadline.signal.reason as Error);
    if (deadline.signal.aborted) abort();
    else deadline.signal.addEventListener('abort', abort, { once: true });
  });
  return Promise.race([promise, cut]);
}

/** PUTs the answer to the pre-signed S3 URL, within {@link RESPONSE_MARGIN_MS}. */
async function send(url: string, response: CustomResourceResponse, onWait: AnswerOptions['onWait']): Promise<void> {
  const body = JSON.stringify(response);
  try {
    await retry(
      async () => {
        const attempt = new AbortController();
        const timer = setTimeout(
          () => attempt.abort(new Error(`no answer within ${DEADLINES.answerAttemptMs / 1000} s`)),
          DEADLINES.answerAttemptMs,
        );
        try {
          // S3 pre-signed URLs reject a Content-Type the signature did not include: send none.
          const answer = await fetch(url, { method: 'PUT', body, headers: { 'content-type': '' }, signal: attempt.signal });
          if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
        } finally {
          clearTimeout(timer);
        }
      },
      {
        operation: 'CloudFormation answer',
        wait: 'CloudFormation answer',
        attempts: DEADLINES.answerAttempts,
        firstDelayMs: DEADLINES.answerRetryDelayMs,
        maxDelayMs: DEADLINES.answerRetryDelayMs,
        onWait: ({ ms, name }) => onWait({ name, ms, call: 'answer CloudFormation' }),
      },
    );
  } catch (error) {
    const last = error instanceof RetriesExhaustedError ? error.cause : error;
    throw new Error(`could not answer CloudFormation: ${(last as Error).message}`);
  }
}

/**
 * The CloudFormation side of the setup: turns a custom resource request into a setup action and always answers
 * CloudFormation, exactly once, before the function's deadline, so that no stack waits an hour for a response.
 *
 * Create and Update register the hook and require Stream's SNS check to pass. Delete removes our hook; if it
 * cannot (Stream unreachable, credentials gone), it still answers SUCCESS with the reason, because a failed Delete
 * would leave the stack stuck in DELETE_FAILED or ROLLBACK_FAILED: the hook then has to be removed by hand
 * (`npm run setup -- --remove`), and the log says so.
 */
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';

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

/** Time kept in hand before the deadline to send the answer. */
export const RESPONSE_MARGIN_MS = 5_000;

/** Whether a Lambda event is a CloudFormation custom resource request. */
export function isCustomResourceEvent(event: unknown): event is CloudFormationCustomResourceEvent {
  return typeof event === 'object' && event !== null && 'RequestType' in event && 'ResponseURL' in event;
}

/**
 * Runs `work` for the request and answers CloudFormation with its outcome.
 *
 * @param work - does the setup for the request; resolves to the physical id and data to report.
 */
export async function answerCustomResource(
  event: CloudFormationCustomResourceEvent,
  context: Context,
  work: () => Promise<{ physicalResourceId: string; data?: Record<string, string> }>,
  log: (message: string, details: Record<string, unknown>) => void,
): Promise<CustomResourceResponse> {
  const fallbackId = 'PhysicalResourceId' in event ? event.PhysicalResourceId : `${event.LogicalResourceId}-not-created`;
  let response: CustomResourceResponse;
  try {
    const budget = Math.max(1_000, context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS);
    const { physicalResourceId, data } = await withDeadline(work(), budget);
    response = base('SUCCESS', 'done', physicalResourceId, data);
  } catch (error) {
    const reason = (error as Error).message;
    if (event.RequestType === 'Delete') {
      log('The Stream hook could not be removed; remove it with npm run setup -- --remove', { reason });
      response = base('SUCCESS', `hook not removed: ${reason}`.slice(0, 1000), fallbackId);
    } else {
      response = base('FAILED', reason.slice(0, 1000), fallbackId);
    }
  }
  await send(event.ResponseURL, response);
  return response;

  function base(
    status: CustomResourceResponse['Status'],
    reason: string,
    physicalResourceId: string,
    data?: Record<string, string>,
  ): CustomResourceResponse {
    return {
      Status: status,
      Reason: reason,
      PhysicalResourceId: physicalResourceId,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      ...(data === undefined ? {} : { Data: data }),
    };
  }
}

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the setup did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** PUTs the answer to the pre-signed S3 URL; retried, since a lost answer leaves the stack waiting. */
async function send(url: string, response: CustomResourceResponse): Promise<void> {
  const body = JSON.stringify(response);
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    try {
      // S3 pre-signed URLs reject a Content-Type the signature did not include: send none.
      const answer = await fetch(url, { method: 'PUT', body, headers: { 'content-type': '' }, signal: AbortSignal.timeout(5_000) });
      if (answer.ok) return;
      lastError = new Error(`HTTP ${answer.status}`);
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`could not answer CloudFormation: ${(lastError as Error).message}`);
}

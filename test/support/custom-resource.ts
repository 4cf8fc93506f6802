/** CloudFormation's side of a custom resource: its requests, and the pre-signed URL that receives the answers. */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/**
 * A local stand-in of the pre-signed S3 URL: every answer PUT to it, parsed, in order. As S3, it refuses a request
 * with a Content-Type, which the URL's signature does not cover (403 SignatureDoesNotMatch).
 */
export interface ResponseUrl {
  url: string;
  answers: Array<Record<string, any>>;
  /**
   * How to treat the next PUTs instead of storing them: answer this status, `drop` the connection unanswered, or
   * `hold` it open without ever answering (until the client gives up).
   */
  refuseNext: Array<number | 'drop' | 'hold'>;
  /** When each PUT arrived (Date.now()), whether stored or not. */
  attempts: number[];
  close(): Promise<void>;
}

export async function startResponseUrl(): Promise<ResponseUrl> {
  const answers: Array<Record<string, any>> = [];
  const refuseNext: Array<number | 'drop' | 'hold'> = [];
  const attempts: number[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request
      .on('data', (chunk) => (body += chunk))
      .on('end', () => {
        attempts.push(Date.now());
        const refusal = refuseNext.shift();
        if (refusal === 'drop') return request.socket.destroy();
        if (refusal === 'hold') return;
        if (refusal !== undefined || request.headers['content-type']) {
          response.writeHead(refusal ?? 403, { 'content-type': 'application/xml' });
          return response.end(`<Error><Code>${refusal === undefined ? 'SignatureDoesNotMatch' : 'ServiceUnavailable'}</Code></Error>`);
        }
        answers.push({ method: request.method, ...JSON.parse(body) });
        response.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/presigned?X-Amz-Signature=abc`,
    answers,
    refuseNext,
    attempts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A `StreamHook` request as CloudFormation sends it. */
export function streamHookRequest(
  type: 'Create' | 'Update' | 'Delete',
  {
    responseUrl,
    properties,
    physicalResourceId,
    oldProperties = {},
  }: {
    responseUrl: string;
    properties: Record<string, string>;
    physicalResourceId?: string | undefined;
    oldProperties?: Record<string, string>;
  },
): CloudFormationCustomResourceEvent {
  return {
    RequestType: type,
    ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:stream-chat-events-dev-setup',
    ResponseURL: responseUrl,
    StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/stream-chat-events-dev/1',
    RequestId: randomUUID(),
    LogicalResourceId: 'StreamHook',
    ResourceType: 'Custom::StreamSnsHook',
    ResourceProperties: { ServiceToken: 'x', ...properties },
    ...(physicalResourceId === undefined ? {} : { PhysicalResourceId: physicalResourceId }),
    ...(type === 'Update' ? { OldResourceProperties: { ServiceToken: 'x', ...oldProperties } } : {}),
  } as CloudFormationCustomResourceEvent;
}

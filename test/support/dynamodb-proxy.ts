/**
 * A stand-in in front of DynamoDB Local that forwards every request and fails the chosen ones the way DynamoDB
 * does: applied and then answered 500, throttled (400, not applied), or answered late (applied, the answer held
 * past the client's timeout). Every request's action and arrival time is recorded.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** How one request fails. */
export type DynamoDBFault =
  | { kind: 'applied-then-500' }
  | { kind: 'throttled' }
  | { kind: 'late'; answerAfterMs: number };

export interface DynamoDBProxy {
  endpoint: string;
  /** Faults to inject, each taken by the next request whose action (`UpdateItem`, ...) matches. */
  failNext: Array<{ action: string } & DynamoDBFault>;
  /** Every request, in order of arrival. */
  requests: Array<{ action: string; at: number }>;
  close(): Promise<void>;
}

/** The message DynamoDB answers a throttled request with. */
export const THROTTLED_MESSAGE = 'The level of configured provisioned throughput for the table was exceeded.';

const AMZ_JSON = { 'content-type': 'application/x-amz-json-1.0' };

export async function startDynamoDBProxy(dynamoDBEndpoint: string): Promise<DynamoDBProxy> {
  const failNext: DynamoDBProxy['failNext'] = [];
  const requests: DynamoDBProxy['requests'] = [];
  const forward = async (headers: Record<string, string>, body: Buffer) => {
    const answer = await fetch(dynamoDBEndpoint, { method: 'POST', headers, body });
    return { status: answer.status, body: await answer.text() };
  };
  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(incoming.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
    ) as Record<string, string>;
    const action = String(incoming.headers['x-amz-target']).split('.').pop() ?? '';
    requests.push({ action, at: Date.now() });
    const faultAt = failNext.findIndex((fault) => fault.action === action);
    const fault = faultAt === -1 ? undefined : failNext.splice(faultAt, 1)[0];
    try {
      if (fault?.kind === 'throttled') {
        response.writeHead(400, AMZ_JSON);
        response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: THROTTLED_MESSAGE }));
        return;
      }
      const answer = await forward(headers, Buffer.concat(chunks));
      if (fault?.kind === 'applied-then-500') {
        response.writeHead(500, AMZ_JSON);
        response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' }));
        return;
      }
      if (fault?.kind === 'late') await sleep(fault.answerAfterMs);
      response.writeHead(answer.status, AMZ_JSON);
      response.end(answer.body);
    } catch {
      // The client gave up on a late answer and closed the connection.
      response.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failNext,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

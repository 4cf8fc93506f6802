/**
 * A stand-in in front of a DynamoDB endpoint that forwards every request and fails the chosen ones the way
 * DynamoDB and its network fail: throttled (400, not applied), applied and then answered 500, answered late
 * (applied, the answer held past the client's timeout), dropped (the connection reset before the request
 * reached DynamoDB), or an outage (for a while, every request's connection reset, and the answers to requests
 * already forwarded lost). The one way the suite and the soak inject DynamoDB faults. Every request's action and
 * arrival time (`Date.now()`, so fake timers see it) is recorded.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** How one request fails. */
export type DynamoDBFault =
  | { kind: 'throttled' }
  | { kind: 'applied-then-500' }
  | { kind: 'late'; answerAfterMs: number }
  | { kind: 'dropped' };

export interface DynamoDBFaults {
  /** Where to point a client instead of DynamoDB. */
  endpoint: string;
  /** Faults to inject, each taken by the next request whose action (`UpdateItem`, ...) matches. */
  failNext: Array<{ action: string } & DynamoDBFault>;
  /** Every request, in order of arrival. */
  requests: Array<{ action: string; at: number }>;
  /** Requests forwarded and not yet answered. */
  readonly inFlight: number;
  /** Requests whose connection an outage reset (before reaching DynamoDB, or with their answer). */
  readonly refused: number;
  /** Cuts DynamoDB off for `durationMs` (real time); resolves when it is reachable again. */
  outage(durationMs: number): Promise<void>;
  close(): Promise<void>;
}

/** The message DynamoDB answers a throttled request with. */
export const THROTTLED_MESSAGE = 'The level of configured provisioned throughput for the table was exceeded.';

const AMZ_JSON = { 'content-type': 'application/x-amz-json-1.0' };

/** Starts the stand-in on 127.0.0.1, in front of `dynamoDBEndpoint`. */
export async function startDynamoDBFaults(dynamoDBEndpoint: string): Promise<DynamoDBFaults> {
  const failNext: DynamoDBFaults['failNext'] = [];
  const requests: DynamoDBFaults['requests'] = [];
  let inFlight = 0;
  let refused = 0;
  let outageUntil = 0;
  const isOut = () => performance.now() < outageUntil;
  const forward = async (headers: Record<string, string>, body: Buffer) => {
    inFlight += 1;
    try {
      const answer = await fetch(dynamoDBEndpoint, { method: 'POST', headers, body });
      return { status: answer.status, body: await answer.text() };
    } finally {
      inFlight -= 1;
    }
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
      if (isOut()) refused += 1;
      if (fault?.kind === 'dropped' || isOut()) return void incoming.socket.destroy();
      if (fault?.kind === 'throttled') {
        response.writeHead(400, AMZ_JSON);
        response.end(
          JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: THROTTLED_MESSAGE }),
        );
        return;
      }
      const answer = await forward(headers, Buffer.concat(chunks));
      // Applied, and the answer lost with the connection.
      if (isOut()) {
        refused += 1;
        return void incoming.socket.destroy();
      }
      if (fault?.kind === 'applied-then-500') {
        response.writeHead(500, AMZ_JSON);
        response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' }));
        return;
      }
      if (fault?.kind === 'late') await sleep(fault.answerAfterMs);
      response.writeHead(answer.status, AMZ_JSON);
      response.end(answer.body);
    } catch {
      // DynamoDB itself went away, or the client gave up on a late answer and closed the connection.
      response.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failNext,
    requests,
    get inFlight() {
      return inFlight;
    },
    get refused() {
      return refused;
    },
    async outage(durationMs) {
      outageUntil = performance.now() + durationMs;
      server.closeIdleConnections();
      await sleep(durationMs);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Builds a real category function (the production middleware chain and Powertools idempotency) against a table
 * of its own in DynamoDB Local, with handlers that record every run and a client that counts its requests.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createIdempotencyTable, LOCAL_AWS_ENV, lambdaContext, startDynamoDBFaults } from '../../emulator/index.js';
import type { Category } from '../../shared/catalog.js';
import { streamEventFunction } from '../../shared/middleware.js';
import type { RejectedDelivery } from '../../shared/rejected-deliveries.js';
import { type FunctionRouting, RoutingMode } from '../../shared/routing.js';
import type { CategoryHandlers, InvocationResult, StreamEvent, StreamEventContext } from '../../shared/types.js';
import { testPackagedService } from './test-builds.js';

/** A DynamoDB client for `endpoint` that counts the commands it sends. */
export function countingClient(endpoint: string): { client: DynamoDBClient; requests: () => number } {
  let count = 0;
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 500, requestTimeout: 2_000 },
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      count += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return { client, requests: () => count };
}

/** A fresh idempotency table in the suite's DynamoDB Local, as the packaged template defines the stack's. */
export async function freshTable(): Promise<{ endpoint: string; tableName: string }> {
  const endpoint = inject('dynamoDBEndpoint');
  const tableName = `idempotency-${randomUUID()}`;
  await createIdempotencyTable(endpoint, (await testPackagedService('project')).idempotencyTable, tableName);
  return { endpoint, tableName };
}

export interface TestFunction {
  invoke(lambdaEvent: unknown, options?: { timeoutMs?: number }): Promise<InvocationResult>;
  /** Every event the handler ran for, in order. */
  runs: StreamEvent[];
  /** What the handler received beside each event, in the same order. */
  contexts: StreamEventContext[];
  rejections: RejectedDelivery[];
  requests: () => number;
  records: () => Promise<Array<Record<string, unknown>>>;
  record: (id: string) => Promise<Record<string, unknown> | undefined>;
}

/**
 * A category function whose every handler (fallback included) records the event and then runs `work`.
 *
 * Its routing is single-topic unless `routing` says otherwise: most tests hand one delivery to all five functions,
 * as the events topic does in that mode (the other modes: test/property/routing.test.ts).
 */
export async function testFunction(
  category: Category,
  {
    work = async () => undefined,
    endpoint,
    tableName,
    failCompletionWrites = 0,
    routing = { mode: RoutingMode.SingleTopic },
  }: {
    work?: (event: StreamEvent, context: StreamEventContext) => Promise<unknown>;
    endpoint?: string;
    tableName?: string;
    /** Drops the connection of the first N UpdateItem requests (the write that marks an event done), unapplied. */
    failCompletionWrites?: number;
    /** The function's routing (shared/middleware.ts StreamEventFunctionOptions.routing). */
    routing?: Partial<FunctionRouting>;
  } = {},
): Promise<TestFunction> {
  const table = tableName && endpoint ? { endpoint, tableName } : await freshTable();
  // Failed writes go through the stand-in that fails requests as DynamoDB's network does: dropped before applied.
  let target = endpoint ?? table.endpoint;
  if (failCompletionWrites > 0) {
    const faults = await startDynamoDBFaults(target);
    for (let i = 0; i < failCompletionWrites; i += 1) faults.failNext.push({ action: 'UpdateItem', kind: 'dropped' });
    target = faults.endpoint;
  }
  const counting = countingClient(target);
  const runs: StreamEvent[] = [];
  const contexts: StreamEventContext[] = [];
  const rejections: RejectedDelivery[] = [];
  const record = async (event: StreamEvent, context: StreamEventContext) => {
    runs.push(event);
    contexts.push(context);
    return work(event, context);
  };
  const handler = streamEventFunction(category, { fallback: record } as CategoryHandlers<Category>, {
    idempotency: { tableName: table.tableName, dynamoDB: counting.client },
    rejectedDeliveries: { keep: async (rejection) => void rejections.push(rejection) },
    routing,
  });
  const reader = countingClient(table.endpoint).client;
  return {
    invoke: (lambdaEvent, { timeoutMs = 30_000 } = {}) => handler(lambdaEvent, lambdaContext({ timeoutMs })) as Promise<InvocationResult>,
    runs,
    contexts,
    rejections,
    requests: counting.requests,
    records: async () => ((await reader.send(new ScanCommand({ TableName: table.tableName }))).Items ?? []).map(plain),
    record: async (id) => {
      const item = (await reader.send(new GetItemCommand({ TableName: table.tableName, Key: { id: { S: id } } }))).Item;
      return item === undefined ? undefined : plain(item);
    },
  };
}

function plain(item: Record<string, { S?: string; N?: string }>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([key, value]) => [key, value.S ?? value.N ?? value]));
}

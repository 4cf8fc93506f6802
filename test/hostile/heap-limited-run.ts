/**
 * Runs the hostile corpus through the real chains of all five functions, in this process, one invocation at a
 * time as separate Lambda environments would. The test starts it under the heap limit Lambda gives the
 * function's memory size, so an out-of-memory death here is one in AWS. Prints a JSON line as each delivery
 * starts and ends, so that the parent can name the delivery that killed it.
 *
 * Usage: node --max-old-space-size=<MB> --import tsx test/hostile/heap-limited-run.ts <DynamoDB endpoint> <table>
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { lambdaContext } from '../../emulator/index.js';
import { CATEGORIES } from '../../shared/catalog.js';
import { streamEventFunction } from '../../shared/middleware.js';
import { keptMessage } from '../../shared/rejected-deliveries.js';
import type { CategoryHandlers, InvocationResult } from '../../shared/types.js';
import { hostileCorpus } from './corpus.js';

const [endpoint, tableName] = process.argv.slice(2);
const dynamoDB = new DynamoDBClient({ endpoint, maxAttempts: 2 });
const functions = CATEGORIES.map((category) =>
  streamEventFunction(category, { fallback: async () => undefined } as CategoryHandlers<typeof category>, {
    idempotency: { tableName, dynamoDB },
    // The real store serializes the whole Lambda event into one SQS message: do the same work here.
    rejectedDeliveries: { keep: async (rejection) => void keptMessage(rejection).body.length },
    // Five functions on one topic: single-topic routing (the other modes: test/property/routing.test.ts).
    routing: { mode: 'single-topic' },
  }),
);

/** The peak resident set of this process so far (VmHWM), in bytes. */
function peakRssBytes(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

for (const delivery of hostileCorpus()) {
  console.log(JSON.stringify({ started: delivery.name }));
  const owners: Array<Pick<InvocationResult, 'outcome' | 'category' | 'reason'>> = [];
  const lambdaEvent = delivery.build();
  for (const handler of functions) {
    const { outcome, category, reason } = (await handler(lambdaEvent, lambdaContext())) as InvocationResult;
    if (outcome !== 'skipped') owners.push({ outcome, category, ...(reason ? { reason } : {}) });
  }
  console.log(JSON.stringify({ finished: delivery.name, owners, heapUsedBytes: process.memoryUsage().heapUsed }));
}
console.log(JSON.stringify({ peakRssBytes: peakRssBytes() }));

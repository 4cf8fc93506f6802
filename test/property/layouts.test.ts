/**
 * The verdict on an event is a property of its JSON document, never of its layout (issue 22): for any generated
 * event and any generated layout of it (test/property/layouts.ts), the five real middleware chains give the same
 * outcome, owner, type and reason as for its plain form, the owner's handler gets the same event, and its
 * idempotency record has the same id. The plain form's verdict is also held to the rule itself
 * (shared/ownership.ts): the owner is the category of the first top-level `type` when it is a string, else
 * `other`; top-level `type` members that disagree are `conflicting_type`.
 *
 * The table is an in-memory stand-in that accepts every write and notes each new record's id. On failure,
 * fast-check prints the seed and path to replay the case.
 */
import { isDeepStrictEqual } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { lambdaContext, snsLambdaEvent } from '../../emulator/index.js';
import { CATEGORIES, type Category, categoryOf } from '../../shared/catalog.js';
import { streamEventFunction } from '../../shared/middleware.js';
import type { CategoryHandlers, InvocationResult, StreamEvent } from '../../shared/types.js';
import { type GeneratedEvent, generatedEvent, laidOut, layout, plainForm } from './layouts.js';

/** Generated pairs per `npm test`; the mutation run asks for fewer through PROPERTY_RUNS. */
const RUNS = Math.min(Number(process.env.PROPERTY_RUNS ?? 1_000), 1_000);

/** The ids of the records written since the last call, and a client that accepts every command. */
function recordingDynamoDB(): { client: DynamoDBClient; takeIds: () => string[] } {
  let ids: string[] = [];
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  client.middlewareStack.add(
    () => async (args) => {
      const item = (args.input as { Item?: { id?: { S?: string } } }).Item;
      if (item?.id?.S !== undefined) ids.push(item.id.S);
      return { output: { $metadata: {} }, response: {} };
    },
    { step: 'initialize', name: 'acceptAndRecord' },
  );
  return {
    client,
    takeIds: () => {
      const taken = ids;
      ids = [];
      return taken;
    },
  };
}

const dynamoDB = recordingDynamoDB();
let handled: StreamEvent[] = [];
const functions = CATEGORIES.map((category) =>
  streamEventFunction(category, { fallback: async (event) => void handled.push(event) } as CategoryHandlers<Category>, {
    idempotency: { tableName: 'property-layouts', dynamoDB: dynamoDB.client },
    rejectedDeliveries: { keep: async () => undefined },
    // Five functions on one topic: single-topic routing (the other modes: test/property/routing.test.ts).
    routing: { mode: 'single-topic' },
  }),
);

/** What all five functions did with one SNS message, and what the owner's handler and table saw. */
async function verdictOn(message: string) {
  handled = [];
  const results = await Promise.all(
    functions.map(async (handler) => {
      try {
        const { outcome, category, type, reason } = (await handler(
          snsLambdaEvent(message, { messageId: 'layout' }),
          lambdaContext(),
        )) as InvocationResult;
        return { outcome, category, type, reason };
      } catch (error) {
        return { outcome: `failed: ${(error as Error).message}` };
      }
    }),
  );
  return { results, handled, recordIds: dynamoDB.takeIds() };
}

/** The rule, written out independently of the code: who owns the event, and what it ends as. */
function expectedVerdict({ types: [first, ...later] }: GeneratedEvent): { owner: Category; ending: string } {
  const owner = typeof first === 'string' ? categoryOf(first) : 'other';
  if (later.some((value) => !isDeepStrictEqual(value, first))) return { owner, ending: 'rejected:conflicting_type' };
  if (typeof first !== 'string' || first.trim() === '') return { owner, ending: 'rejected:invalid_type' };
  return { owner, ending: 'processed' };
}

describe('the verdict on an event', () => {
  test.prop([generatedEvent, layout], { numRuns: RUNS })(
    'is the same in every layout as in its plain form, and follows the ownership rule',
    async (event, eventLayout) => {
      // Prepare
      const plain = plainForm(event);
      const laid = laidOut(event, eventLayout);

      // Act
      const ofPlain = await verdictOn(plain);
      const ofLayout = await verdictOn(laid);

      // Assess: the layout changes nothing...
      expect(ofLayout).toEqual(ofPlain);
      // ...and the plain form's verdict is the rule's.
      const { owner, ending } = expectedVerdict(event);
      const owners = ofPlain.results.filter((result) => result.outcome !== 'skipped');
      expect(owners.map((result) => `${result.category}:${result.outcome}${result.reason ? `:${result.reason}` : ''}`)).toEqual([
        `${owner}:${ending}`,
      ]);
      expect(ofPlain.recordIds).toHaveLength(ending === 'processed' ? 1 : 0);
    },
  );
});

/**
 * The ownership rule (shared/ownership.ts) as an invariant, tried with generated deliveries through the real
 * middleware chains of all five functions: for any input at all, exactly one function owns the delivery and
 * ends it as processed, duplicate or rejected; the four others skip it. With a healthy table and a handler that
 * succeeds, no delivery may fail: a failure would be an error the rule did not classify.
 *
 * The table is an in-memory stand-in (every write succeeds) so that 10,000 deliveries fit in seconds; the same
 * chains against DynamoDB Local are tried in test/integration. On failure, fast-check prints the seed and path
 * to replay the case: `fc.configureGlobal({ seed, path })` or `test.prop(..., { seed, path })`.
 */
import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { lambdaContext } from '../../emulator/index.js';
import { CATEGORIES, type Category, categoryOf } from '../../shared/catalog.js';
import { decodeSnsDelivery, snsMessageOf } from '../../shared/decoder.js';
import { PoisonDeliveryError, RejectionReason } from '../../shared/errors.js';
import { streamEventFunction } from '../../shared/middleware.js';
import { peekEventType } from '../../shared/peek.js';
import type { CategoryHandlers, InvocationResult } from '../../shared/types.js';
import { acceptingDynamoDB } from '../support/accepting-dynamodb.js';
import { lambdaEvent } from './deliveries.js';

/**
 * Generated deliveries per `npm test`. The mutation run (mutation/vitest.config.ts) asks for fewer through
 * PROPERTY_RUNS, as it runs these tests again for every mutant they reach.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 10_000);

const dynamoDB = acceptingDynamoDB();
const functions = CATEGORIES.map((category) => ({
  category,
  handler: streamEventFunction(category, { fallback: async () => undefined } as CategoryHandlers<Category>, {
    idempotency: { tableName: 'property-ownership', dynamoDB },
    rejectedDeliveries: { keep: async () => undefined },
    // Five functions on one topic: single-topic routing (the other modes: test/property/routing.test.ts).
    routing: { mode: 'single-topic' },
  }),
}));

async function invokeAll(event: unknown): Promise<Array<{ category: Category; outcome: string }>> {
  return Promise.all(
    functions.map(async ({ category, handler }) => {
      try {
        const result = (await handler(structuredClone(event), lambdaContext())) as InvocationResult;
        return { category, outcome: result.outcome };
      } catch (error) {
        return { category, outcome: `failed: ${(error as Error).message}` };
      }
    }),
  );
}

describe('ownership', () => {
  test.prop([lambdaEvent], { numRuns: RUNS })(
    'gives every delivery exactly one owner, which processes, finds a duplicate or rejects it',
    async (event) => {
      // Act
      const results = await invokeAll(event);

      // Assess
      const owners = results.filter((result) => result.outcome !== 'skipped');
      expect(owners).toHaveLength(1);
      expect(owners[0]!.outcome).toMatch(/^(processed|duplicate|rejected)$/);
    },
  );

  test.prop([lambdaEvent], { numRuns: Math.ceil(RUNS / 5) })(
    'gives a decodable Stream event to the owner of its type, and processes it there',
    async (event) => {
      // Prepare
      let type: string;
      try {
        type = decodeSnsDelivery(event).event.type;
      } catch {
        return;
      }

      // Act
      const results = await invokeAll(event);

      // Assess: processed by the owner of its type, or rejected there because its first key named another type.
      const owner = results.find((result) => result.outcome !== 'skipped')!;
      if (owner.outcome === 'processed') expect(owner.category).toBe(categoryOf(type));
      else expect(owner.outcome).toBe('rejected');
    },
  );

  /** The rejections made before there is JSON text: only there may the peek know more than the decoder. */
  const BEFORE_TEXT: readonly string[] = [
    RejectionReason.NotOneRecord,
    RejectionReason.NotSnsRecord,
    RejectionReason.MessageTooLarge,
    RejectionReason.BadBase64,
    RejectionReason.BadGzip,
    RejectionReason.InflatedTooLarge,
    RejectionReason.InvalidUtf8,
  ];

  test.prop([lambdaEvent], { numRuns: RUNS })('lets the peek name only the first type member the decoder finds itself', (event) => {
    // Prepare
    const message = snsMessageOf(event);
    const peeked = message === undefined ? undefined : peekEventType(message);
    if (peeked === undefined) return;

    // Act
    let decoded: string | undefined;
    try {
      decoded = decodeSnsDelivery(event).event.type;
    } catch (error) {
      if (!(error instanceof PoisonDeliveryError)) throw error;
      if (BEFORE_TEXT.includes(error.reason)) return;
      decoded = error.firstType;
    }

    // Assess
    expect(decoded).toBe(peeked);
  });
});

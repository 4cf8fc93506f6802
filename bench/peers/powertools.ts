/**
 * Powertools directly: decode the SNS record, then the handler made idempotent with Powertools' makeIdempotent on
 * the decoded event, as its documentation shows. No middy chain, no category guard.
 */

import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { decodeSnsDelivery } from '../../shared/decoder.js';

const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: process.env.IDEMPOTENCY_TABLE ?? 'bench-powertools',
  awsSdkV3Client: new DynamoDBClient({}),
});
const config = new IdempotencyConfig({ expiresAfterSeconds: 86_400 });
let executed = false;
const processEvent = makeIdempotent(
  async (_event: Record<string, unknown>, _context: Context) => {
    executed = true;
    return { done: true };
  },
  { persistenceStore, config },
);

export const handler = async (event: unknown, context: Context) => {
  executed = false;
  await processEvent(decodeSnsDelivery(event).event as Record<string, unknown>, context);
  return { outcome: executed ? 'processed' : 'duplicate' };
};

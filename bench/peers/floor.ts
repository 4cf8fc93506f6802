/**
 * The floor: the least a deduplicating consumer can do. Decode the SNS record, then one conditional PutItem of the
 * event's hash; a duplicate is the PutItem's ConditionalCheckFailedException. No guard, no middleware.
 */
import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { decodeSnsDelivery } from '../../shared/decoder.js';

const dynamoDB = new DynamoDBClient({});
const tableName = process.env.IDEMPOTENCY_TABLE ?? 'bench-floor';

export const handler = async (event: unknown) => {
  const delivery = decodeSnsDelivery(event);
  try {
    await dynamoDB.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { id: { S: `floor#${delivery.eventKey}` }, expiration: { N: String(Math.floor(Date.now() / 1000) + 86_400) } },
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
    return { outcome: 'processed' };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return { outcome: 'duplicate' };
    throw error;
  }
};

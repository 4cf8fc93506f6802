/** The cold-start baseline: a handler that imports only the DynamoDB client. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const dynamoDB = new DynamoDBClient({});

export const handler = async () => ({ region: await dynamoDB.config.region() });

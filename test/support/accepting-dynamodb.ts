/**
 * A DynamoDB client whose every command succeeds at once and finds nothing, without a network: for tests that run
 * thousands of deliveries through the real chain, or that fake the clock, where the table's answers do not matter.
 * The same chain against DynamoDB Local is in test/integration.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** See the module's comment. */
export function acceptingDynamoDB(): DynamoDBClient {
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  client.middlewareStack.add(() => async () => ({ output: { $metadata: {} }, response: {} }), {
    step: 'initialize',
    name: 'acceptEverything',
  });
  return client;
}

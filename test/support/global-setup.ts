/** Starts one DynamoDB Local for the whole test run and hands its endpoint to the tests (`inject`). */
import type { TestProject } from 'vitest/node';
import { type DynamoDBLocal, startDynamoDBLocal } from '../../emulator/index.js';

let dynamoDB: DynamoDBLocal | undefined;

export async function setup(project: TestProject): Promise<void> {
  dynamoDB = await startDynamoDBLocal();
  project.provide('dynamoDBEndpoint', dynamoDB.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamoDB?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDBEndpoint: string;
  }
}

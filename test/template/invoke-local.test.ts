/**
 * The hooks around `serverless invoke local` (template/invoke-local.ts), in-process on osls's options and service as
 * far as they read them: a bare Stream event is refused before anything starts, an endpoint the caller gives wins
 * (nothing started, nothing created there), and the function gets its own memory size, timeout and a cold start.
 * The whole command, DynamoDB Local started by the hook: test/e2e/invoke-local.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { fc, test } from '@fast-check/vitest';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { INJECTED_OPTIONS_KEY } from '../../shared/middleware.js';
import { BareStreamEventError } from '../../template/errors.js';
import { type InvokeLocalOptions, invokeLocalHooks, refuseBareStreamEvent } from '../../template/invoke-local.js';
import { countingClient } from '../support/category-function.js';

let serviceDir: string;
let tableName: string;

beforeEach(() => {
  serviceDir = mkdtempSync(join(tmpdir(), 'invoke-local-'));
  tableName = `invoke-local-${randomUUID()}`;
});

afterEach(() => {
  vi.unstubAllEnvs();
  // What the hook injects for the bundle it would load (shared/middleware.ts): no other file may see it.
  delete (globalThis as Record<symbol, unknown>)[INJECTED_OPTIONS_KEY];
  rmSync(serviceDir, { recursive: true, force: true });
});

/** osls's service as the hooks read it: provider defaults, one function, the table's resource. */
function serverlessWith(fn: { memorySize?: number; timeout?: number } = {}) {
  return {
    serviceDir,
    service: {
      provider: { memorySize: 256, timeout: 30 },
      resources: {
        Resources: {
          IdempotencyTable: {
            Properties: {
              TableName: tableName,
              BillingMode: 'PAY_PER_REQUEST',
              AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
              KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
              TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
            },
          },
        },
      },
      getFunction: (name: string) => ({ name: `stream-chat-events-dev-${name}`, ...fn }),
    },
    getProvider: () => ({ getRegion: () => 'eu-west-1' }),
  };
}

describe('refuseBareStreamEvent', () => {
  test.prop([fc.string(), fc.dictionary(fc.string(), fc.jsonValue())])(
    'refuses any object with a string type and no Records',
    (type, rest) => {
      // Prepare
      const event = { ...rest, type };
      delete (event as Record<string, unknown>).Records;

      // Act
      const act = () => refuseBareStreamEvent(event);

      // Assess
      expect(act).toThrow(BareStreamEventError);
      expect(act).toThrow(`(type ${JSON.stringify(type)})`);
    },
  );

  test.prop([fc.jsonValue()])('lets an SNS event, and anything without a string type, through to the decoder', (value) => {
    // Prepare
    const candidates = [{ Records: value, type: 'message.new' }, value];

    // Act
    const verdicts = candidates.map((candidate) => {
      const bare = typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate) && !('Records' in candidate);
      const typed = bare && typeof (candidate as { type?: unknown }).type === 'string';
      return {
        typed,
        threw: (() => {
          try {
            refuseBareStreamEvent(candidate);
            return false;
          } catch {
            return true;
          }
        })(),
      };
    });

    // Assess
    for (const { typed, threw } of verdicts) expect(threw).toBe(typed);
  });
});

describe('invokeLocalHooks', () => {
  it('refuses a bare Stream event before starting anything', async () => {
    // Prepare
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', '');
    const options: InvokeLocalOptions = { function: 'messages', data: { type: 'message.new' } };

    // Act
    const started = invokeLocalHooks(serverlessWith(), options)['after:invoke:local:loadEnvVars']!();

    // Assess
    await expect(started).rejects.toBeInstanceOf(BareStreamEventError);
    expect(existsSync(join(serviceDir, '.local'))).toBe(false);
  });

  it('takes an endpoint the caller gave: starts nothing, and creates the table there', async () => {
    // Prepare
    const endpoint = inject('dynamoDBEndpoint');
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
    const options: InvokeLocalOptions = { function: 'messages', data: { Records: [] } };

    // Act
    await invokeLocalHooks(serverlessWith(), options)['after:invoke:local:loadEnvVars']!();

    // Assess
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(endpoint);
    expect(existsSync(join(serviceDir, '.local'))).toBe(false);
    const tables = await countingClient(endpoint).client.send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain(tableName);
  });

  it('gives the function its own memory size and timeout, and a cold start, unless a context was given', async () => {
    // Prepare
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', '');
    const options: InvokeLocalOptions = { function: 'messages' };
    const given = { awsRequestId: 'mine' };
    const withContext: InvokeLocalOptions = { function: 'users', context: given };

    // Act
    await invokeLocalHooks(serverlessWith({ memorySize: 512, timeout: 12 }), options)['before:invoke:local:invoke']!();
    await invokeLocalHooks(serverlessWith(), withContext)['before:invoke:local:invoke']!();

    // Assess
    const context = options.context as Context;
    expect(context).toMatchObject({
      memoryLimitInMB: '512',
      functionName: 'stream-chat-events-dev-messages',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:stream-chat-events-dev-messages',
    });
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(11_000);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(12_000);
    expect(process.env.AWS_LAMBDA_INITIALIZATION_TYPE).toBe('on-demand');
    expect(withContext.context).toBe(given);
    expect((globalThis as Record<symbol, { rejectedDeliveries?: unknown }>)[INJECTED_OPTIONS_KEY]?.rejectedDeliveries).toBeDefined();
  });

  it('does nothing for a function that is not a category (the setup)', async () => {
    // Prepare
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', '');
    const options: InvokeLocalOptions = { function: 'setup', data: { type: 'message.new' } };

    // Act
    const hooks = invokeLocalHooks(serverlessWith(), options);
    await hooks['after:invoke:local:loadEnvVars']!();
    await hooks['before:invoke:local:invoke']!();

    // Assess
    expect(options.context).toBeUndefined();
    expect(existsSync(join(serviceDir, '.local'))).toBe(false);
  });
});

/**
 * `serverless invoke local` of a category function, with nothing else running: the hooks the template's plugin
 * (template/plugin.ts) adds around osls's `invoke local`.
 *
 * - Before the function loads: refuses a bare Stream event ({@link refuseBareStreamEvent}); starts AWS's DynamoDB
 *   Local (emulator/index.ts) with its tables in `.local/dynamodb/`, so that the second run of an event answers
 *   `duplicate`; creates the idempotency table as serverless.yml defines it; points the function at both with the
 *   local credentials, whatever AWS credentials the machine has (none are needed, and none reach the function).
 *   An `AWS_ENDPOINT_URL_DYNAMODB` set by the caller wins: nothing is started, the table is created there if missing.
 * - The Lambda context and environment of a real on-demand environment: the function's own memory size (osls hands
 *   every function `memoryLimitInMB: '1024'`), its timeout as the deadline, and `cold_start: true` on the lines of
 *   the invocation (emulator/lambda-context.cjs). A context given with `--contextPath` or `-c` is left as it is.
 * - After the invocation: stops DynamoDB Local (it is also killed if the command dies first).
 *
 * Limitations: only the category functions get a store (the setup function has none to get). Two `invoke local`
 * runs at once share `.local/dynamodb/`, which DynamoDB Local does not lock: run them one after the other. Starting
 * DynamoDB Local costs a few seconds per run (Java); give a running one with AWS_ENDPOINT_URL_DYNAMODB to save them.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
// Two of the emulator's modules, not its index: osls loads this plugin with require() (template/plugin.cjs), and the
// index also brings the decoder, whose canonicalize package cannot be required (it exports an ES module only).
import { createIdempotencyTable, type DynamoDBLocal, LOCAL_AWS_ENV, startDynamoDBLocal } from '../emulator/dynamodb-local.js';
import { EndpointUnreachableError } from '../emulator/errors.js';
import { lambdaContext, lambdaRuntimeEnvironment } from '../emulator/lambda-context.cjs';
import type { TableDefinition } from '../emulator/packaged-service.js';
import { CATEGORIES, type Category } from '../shared/catalog.js';
import { BareStreamEventError, LocalStoreUnreachableError } from './errors.js';

/** shared/middleware.ts INJECTED_OPTIONS_KEY: where a host puts the options it injects before a bundle loads. */
const INJECTED_OPTIONS_KEY = Symbol.for('stream-chat-sns-lambda.functionOptions');

/** Where `invoke local` keeps DynamoDB Local's tables, under the service folder. */
export const INVOKE_LOCAL_DEFAULTS = {
  dataDir: join('.local', 'dynamodb'),
  /** The idempotency table's resource in serverless.yml. */
  tableResource: 'IdempotencyTable',
  /** The account in the function ARN the context carries (the one the local run uses). */
  accountId: '111122223333',
} as const;

/** The parts of osls's Serverless object and `invoke local` options the hooks read and set. */
export interface InvokeLocalServerless {
  /** The service's folder (osls always sets it; the working folder otherwise). */
  serviceDir?: string;
  service: {
    provider: { memorySize?: number | string; timeout?: number | string };
    resources?: { Resources?: Record<string, { Properties?: Record<string, unknown> }> };
    getFunction(name: string): { name: string; memorySize?: number | string; timeout?: number | string };
  };
  getProvider(name: 'aws'): { getRegion(): string };
}

/** osls's options of `invoke local`, which its hooks share: `data` is the parsed event, `context` the custom one. */
export interface InvokeLocalOptions {
  function?: string;
  data?: unknown;
  context?: unknown;
}

/**
 * Throws {@link BareStreamEventError} when the event is a bare Stream event: a JSON object with a string `type` and
 * no `Records`. Anything else goes to the function as it is (its decoder classifies it).
 */
export function refuseBareStreamEvent(data: unknown): void {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || 'Records' in data) return;
  const { type } = data as { type?: unknown };
  if (typeof type === 'string') throw new BareStreamEventError(type);
}

/** The idempotency table as serverless.yml defines it, for {@link createIdempotencyTable}. */
export function tableDefinitionOf(properties: Record<string, unknown>): TableDefinition {
  const { TableName, KeySchema, AttributeDefinitions, BillingMode, TimeToLiveSpecification } = properties;
  return { tableName: String(TableName), KeySchema, AttributeDefinitions, BillingMode, TimeToLiveSpecification } as TableDefinition;
}

/** The hooks around `invoke local`, for the template's plugin. */
export function invokeLocalHooks(serverless: InvokeLocalServerless, options: InvokeLocalOptions): Record<string, () => Promise<void>> {
  let dynamoDB: DynamoDBLocal | undefined;
  const category = (): Category | undefined => CATEGORIES.find((name) => name === options.function);

  return {
    // After osls has read the event and set the function's environment, before the bundle is built and loaded.
    'after:invoke:local:loadEnvVars': async () => {
      if (category() === undefined) return;
      refuseBareStreamEvent(options.data);
      const table = serverless.service.resources?.Resources?.[INVOKE_LOCAL_DEFAULTS.tableResource]?.Properties;
      if (table === undefined) return;
      const given = process.env.AWS_ENDPOINT_URL_DYNAMODB;
      let endpoint = given;
      if (endpoint === undefined || endpoint === '') {
        const dataDir = join(serverless.serviceDir ?? process.cwd(), INVOKE_LOCAL_DEFAULTS.dataDir);
        mkdirSync(dataDir, { recursive: true });
        dynamoDB = await startDynamoDBLocal({ dataDir });
        endpoint = dynamoDB.endpoint;
        // osls put the machine's credentials in the environment if it found some: DynamoDB Local keys its tables
        // by access key, and the function must not carry real credentials it does not need.
        delete process.env.AWS_SESSION_TOKEN;
        delete process.env.AWS_PROFILE;
        Object.assign(process.env, LOCAL_AWS_ENV, { AWS_ENDPOINT_URL_DYNAMODB: endpoint });
      } else {
        for (const [name, value] of Object.entries(LOCAL_AWS_ENV)) process.env[name] ??= value;
      }
      await createTableIfMissing(endpoint, tableDefinitionOf(table));
    },
    // After serverless-esbuild has built the bundle (it is listed first in serverless.yml), just before osls loads it.
    'before:invoke:local:invoke': async () => {
      if (category() === undefined || options.function === undefined) return;
      const fn = serverless.service.getFunction(options.function);
      const provider = serverless.service.provider;
      const memorySizeMb = Number(fn.memorySize ?? provider.memorySize ?? 1024);
      const timeoutMs = Number(fn.timeout ?? provider.timeout ?? 6) * 1000;
      Object.assign(process.env, lambdaRuntimeEnvironment({ functionName: fn.name, memorySizeMb }));
      // No queue here: a rejection is kept in its log line only, as in the local run (shared/middleware.ts
      // INJECTED_OPTIONS_KEY; the key by its global name, since this plugin cannot load shared/middleware.ts).
      (globalThis as Record<symbol, unknown>)[INJECTED_OPTIONS_KEY] = { rejectedDeliveries: { keep: async () => {} } };
      const region = serverless.getProvider('aws').getRegion();
      options.context ??= lambdaContext({
        functionName: fn.name,
        functionArn: `arn:aws:lambda:${region}:${INVOKE_LOCAL_DEFAULTS.accountId}:function:${fn.name}`,
        memorySizeMb,
        timeoutMs,
        requestId: randomUUID(),
      });
    },
    'after:invoke:local:invoke': async () => {
      await dynamoDB?.stop();
    },
  };
}

/**
 * Creates the table unless it exists (kept in `.local/dynamodb/` from an earlier run, or at a given endpoint); throws
 * {@link LocalStoreUnreachableError} when nothing answers there.
 */
async function createTableIfMissing(endpoint: string, table: TableDefinition): Promise<void> {
  try {
    await createIdempotencyTable(endpoint, table);
  } catch (error) {
    if (error instanceof EndpointUnreachableError) throw new LocalStoreUnreachableError(endpoint, table.tableName, error.code);
    if ((error as Error).name !== 'ResourceInUseException') throw error;
  }
}
